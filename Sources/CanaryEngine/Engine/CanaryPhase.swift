/// `status.phase` of a Canary (spec/flagger.md §2.2). The raw values are Flagger's spellings.
public enum CanaryPhase: String, Sendable, Hashable, CaseIterable, Codable {
    case initializing = "Initializing"
    case initialized = "Initialized"
    case waiting = "Waiting"
    case progressing = "Progressing"
    case waitingPromotion = "WaitingPromotion"
    case promoting = "Promoting"
    case finalising = "Finalising"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case terminating = "Terminating"
    case terminated = "Terminated"

    /// Phases in which `shouldAdvance` is true without looking for a new revision (scheduler.go:852-884).
    var isAdvancing: Bool {
        switch self {
        case .progressing, .waiting, .waitingPromotion, .promoting, .finalising: true
        default: false
        }
    }

    /// Phases `checkCanaryStatus` lets through to the analysis (scheduler.go:886-933).
    var isRunning: Bool {
        switch self {
        case .progressing, .waitingPromotion, .promoting, .finalising: true
        default: false
        }
    }
}
