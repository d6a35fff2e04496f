extension Duration {
    /// `250ms`, `1s`, `10s`: how the console writes refresh intervals.
    var compactText: String {
        let milliseconds = Int(self / .milliseconds(1))
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
