import ArgumentParser

/// The `rollout-e2e` command tree (DESIGN.md §4).
public struct RolloutCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rollout-e2e",
        abstract: "End-to-end tests for progressive delivery: Flagger canaries on Kind or on a local stack.",
        subcommands: []
    )

    public init() {}
}
