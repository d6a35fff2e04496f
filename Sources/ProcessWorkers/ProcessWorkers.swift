// Replaced by the process worker backend.
