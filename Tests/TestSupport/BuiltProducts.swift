import Foundation

/// Where `swift build --build-tests` put this package's executables: beside the test bundle.
public enum BuiltProducts {
    /// The directory holding the test bundle and the package's executables.
    public static var directory: URL {
        // On Linux the test runner is `.build/<triple>/debug/<package>PackageTests.xctest`.
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The path of one of the package's executables (`podinfo`, `rollout-e2e`, …).
    ///
    /// Throws with a hint when the executable was not built, instead of skipping the test.
    public static func executable(_ name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(name) not found at \(path); build it with `swift build --build-tests`")
        }
        return path
    }
}

/// A failure in the test scaffolding itself, with a message that says what to do.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
