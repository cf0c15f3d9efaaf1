import ArgumentParser
import RolloutCLI

await RolloutCommand.main()
