func runPodinfoBench() async throws {
    print("   not written yet")
}
