func runLoadGeneratorBench() async throws {
    print("   not written yet")
}
