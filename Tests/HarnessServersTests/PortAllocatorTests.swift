import Testing

@testable import HarnessServers

/// Stacks started side by side in one process (one per scenario) never get the same port.
@Suite struct PortAllocatorTests {
    @Test func allocatorsInOneProcessNeverHandOutTheSamePort() throws {
        let allocators = [PortAllocator(), PortAllocator(), PortAllocator()]
        var seen = Set<Int>()
        for _ in 0..<150 {
            for allocator in allocators {
                let port = try allocator.next()
                #expect(seen.insert(port).inserted, "port \(port) handed out twice")
            }
        }
    }
}
