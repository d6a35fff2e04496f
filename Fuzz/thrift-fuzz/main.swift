#if !FUZZING
@main enum FuzzStub { static func main() {} }
#endif
