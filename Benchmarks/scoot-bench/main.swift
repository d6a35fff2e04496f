print("scoot-bench: not yet")
