import Foundation

// `make bench`: prints the speed figures the issues ask for, one section per component.
// Each section lives in its own file; a section that cannot run prints why and the run goes on.

let sections: [(name: String, run: () async throws -> Void)] = [
    ("load generator vs hey", runLoadGeneratorBench),
    ("podinfo", runPodinfoBench),
    ("canary engine", runEngineBench),
    ("metrics path", runMetricsPathBench),
]
let only = CommandLine.arguments.dropFirst().first
var failed = false
for section in sections where only == nil || section.name.hasPrefix(only!) {
    print("== \(section.name)")
    do {
        try await section.run()
    } catch {
        print("   failed: \(error)")
        failed = true
    }
}
if failed { exit(1) }
