print("scoot-console")
