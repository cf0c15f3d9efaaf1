import RolloutCLI

await RolloutCommand.runMain()
