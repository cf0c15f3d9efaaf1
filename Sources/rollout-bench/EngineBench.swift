func runEngineBench() async throws {
    print("   not written yet")
}
