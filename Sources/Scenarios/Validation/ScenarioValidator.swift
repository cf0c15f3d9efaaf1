import ObjectModel
import YAML

/// Semantic checks of a decoded scenario, each reported at the offending field.
struct ScenarioValidator {
    let scenario: Scenario
    let context: ValidationContext
    let content: ScenarioContent

    /// Flagger's phases (spec/flagger.md §2.2).
    static let phases = [
        "Initializing", "Initialized", "Waiting", "Progressing", "WaitingPromotion", "Promoting", "Finalising",
        "Succeeded", "Failed", "Terminating", "Terminated",
    ]

    private var problems: [Diagnostic] = []
    private var startedTraffic: Set<String> = []

    init(scenario: Scenario, context: ValidationContext, content: ScenarioContent) {
        self.scenario = scenario
        self.context = context
        self.content = content
    }

    func validate() -> [Diagnostic] {
        var validator = self
        validator.run()
        return validator.problems
    }

    private mutating func run() {
        let spec = scenario.spec
        if !Self.isDNSLabel(scenario.metadata.name) {
            error(
                ["metadata", "name"],
                "name must be lowercase letters, digits and '-' (a DNS label), found '\(scenario.metadata.name)'"
            )
        }
        if let description = scenario.metadata.description, description.contains("\n") {
            warning(["metadata", "description"], "the description is shown on one line; keep it to one")
        }
        if !Self.isDNSLabel(spec.namespace) {
            error(["spec", "namespace"], "namespace must be a DNS label, found '\(spec.namespace)'")
        }
        if let timeout = spec.timeout, timeout.seconds <= 0 {
            error(["spec", "timeout"], "timeout must be positive")
        }
        if spec.steps.isEmpty { error(["spec", "steps"], "a scenario needs at least one step") }
        if let branches = spec.git?.branches {
            for (index, branch) in branches.enumerated() where branches.firstIndex(of: branch) != index {
                error(["spec", "git", "branches", "\(index)"], "branch '\(branch)' is listed twice")
            }
        }
        check(spec.steps, list: "steps")
        check(spec.catch ?? [], list: "catch")
        check(spec.finally ?? [], list: "finally")
    }

    private mutating func check(_ steps: [Step], list: String) {
        for (index, step) in steps.enumerated() {
            let path = ["spec", list, "\(index)"]
            if let timeout = step.timeout {
                if timeout.seconds <= 0 {
                    error(path + ["timeout"], "timeout must be positive")
                } else if timeout.seconds > scenario.spec.effectiveTimeout.seconds {
                    warning(
                        path + ["timeout"],
                        "step timeout \(timeout) is longer than the scenario's \(scenario.spec.effectiveTimeout)"
                    )
                }
            }
            check(step.action, at: path)
        }
    }

    private mutating func check(_ action: StepAction, at path: [String]) {
        switch action {
        case .commit(let commit): check(commit, at: path + ["commit"])
        case .merge(let merge):
            checkBranch(merge.from, at: path + ["merge", "from"])
            checkBranch(merge.into, at: path + ["merge", "into"])
            if merge.from == merge.into { error(path + ["merge", "into"], "cannot merge a branch into itself") }
        case .apply(let apply):
            if (apply.file == nil) == (apply.manifests == nil) {
                error(path + ["apply"], "apply needs exactly one of file and manifests")
            }
        case .delete(let delete):
            let byName = delete.kind != nil || delete.name != nil
            if (delete.file != nil) == byName || (byName && (delete.kind == nil || delete.name == nil)) {
                error(path + ["delete"], "delete needs either file, or kind and name")
            }
        case .traffic(.start(let start)): check(start, at: path + ["traffic"])
        case .traffic(.stop(let name)):
            if !startedTraffic.contains(name) {
                error(path + ["traffic", "stop"], "no traffic named '\(name)' was started before this step")
            }
        case .gate(let gate): checkCanary(gate.canary, at: path + ["gate", "canary"])
        case .fault(let fault):
            if case .replica(_, _, let index?) = fault.target, index < 0 {
                error(path + ["fault", "replica"], "replica is an index from 0")
            }
        case .sleep(let duration):
            if duration.seconds <= 0 { error(path + ["sleep"], "sleep must be positive") }
        case .wait(let wait): check(wait, at: path + ["wait"])
        case .assert(let assert): check(assert, at: path + ["assert"])
        }
    }

    private mutating func check(_ commit: CommitAction, at path: [String]) {
        guard scenario.spec.git != nil else {
            error(path, "commit needs spec.git (the content the scenario's repository starts from)")
            return
        }
        if let branch = commit.branch { checkBranch(branch, at: path + ["branch"]) }
        if commit.changes.isEmpty { error(path + ["changes"], "a commit needs at least one change") }
        for (index, change) in commit.changes.enumerated() {
            let changePath = path + ["changes", "\(index)"]
            let createsFile = if case .content = change.edit { true } else { false }
            if !createsFile && content.gitDirectory != nil && !content.gitFiles.contains(change.file) {
                let hint = suggestion(for: change.file, in: content.gitFiles).map { " (did you mean '\($0)'?)" } ?? ""
                error(changePath + ["file"], "no file '\(change.file)' in the Git content\(hint)")
            }
            switch change.edit {
            case .image(let image):
                if (image.tag == nil) == (image.image == nil) {
                    error(changePath + ["image"], "image needs exactly one of tag and image")
                }
            case .set(let set):
                if set.components == nil {
                    error(
                        changePath + ["set", "path"],
                        "malformed path '\(set.path)'; write it like spec.template.spec.containers[0].image"
                    )
                }
            case .env(let env):
                if env.name.isEmpty { error(changePath + ["env", "name"], "name must not be empty") }
            case .content, .remove:
                break
            }
        }
    }

    private mutating func check(_ start: TrafficStart, at path: [String]) {
        if startedTraffic.contains(start.name) {
            error(path + ["start"], "traffic '\(start.name)' is already started; stop it first or pick another name")
        }
        startedTraffic.insert(start.name)
        switch (start.rate, start.concurrency) {
        case (nil, nil), (.some, .some): error(path, "traffic needs exactly one of rate and concurrency")
        case (let rate?, nil) where !(rate > 0 && rate.isFinite):
            error(path + ["rate"], "rate must be a positive number of requests per second")
        case (nil, let concurrency?) where concurrency < 1:
            error(path + ["concurrency"], "concurrency must be at least 1")
        default: break
        }
        if start.duration != nil && start.until != nil {
            error(path + ["until"], "give duration or until, not both")
        }
        if let duration = start.duration, duration.seconds <= 0 {
            error(path + ["duration"], "duration must be positive")
        }
        if let until = start.until { checkCanary(until.canary, at: path + ["until", "canary"]) }
        if !start.path.hasPrefix("/") { error(path + ["path"], "path must start with '/', found '\(start.path)'") }
        if start.host == nil && content.ingressHosts.isEmpty {
            error(path, "traffic needs a host: no Ingress with a host in the scenario's manifests")
        }
    }

    private mutating func check(_ wait: WaitAction, at path: [String]) {
        let subjects = [wait.canary != nil, wait.object != nil, wait.condition != nil].filter { $0 }.count
        if subjects != 1 {
            error(path, "wait needs exactly one of canary, object and condition")
            return
        }
        if let canary = wait.canary {
            checkCanary(canary, at: path + ["canary"])
            if wait.phase == nil && wait.canaryWeight == nil && wait.failedChecks == nil && wait.iterations == nil {
                error(path, "a canary wait needs phase, canaryWeight, failedChecks or iterations")
            }
            for (index, phase) in (wait.phase?.values ?? []).enumerated() {
                checkPhase(phase, at: path + ["phase"] + (wait.phase?.values.count == 1 ? [] : ["\(index)"]))
            }
            if let weight = wait.canaryWeight, !(0...100).contains(weight) {
                error(path + ["canaryWeight"], "canaryWeight is a percentage (0-100), found \(weight)")
            }
        } else if wait.phase != nil || wait.canaryWeight != nil || wait.failedChecks != nil || wait.iterations != nil {
            error(path, "phase, canaryWeight, failedChecks and iterations apply to a canary wait")
        }
        if wait.object != nil && wait.match == nil { error(path, "an object wait needs match") }
        if wait.match != nil && wait.object == nil { error(path + ["match"], "match applies to an object wait") }
    }

    private mutating func check(_ assert: AssertAction, at path: [String]) {
        if assert.kinds.isEmpty {
            error(path, "assert needs at least one of timeline, object, traffic, alerts, webhooks")
        }
        if let timeline = assert.timeline { check(timeline, at: path + ["timeline"]) }
        if let traffic = assert.traffic { check(traffic, at: path + ["traffic"]) }
        if let alerts = assert.alerts {
            let alertsPath = path + ["alerts"]
            if let canary = alerts.canary { checkCanary(canary, at: alertsPath + ["canary"]) }
            if alerts.received.isEmpty && (alerts.notReceived ?? []).isEmpty {
                error(alertsPath, "alerts needs received or notReceived entries")
            }
            for (index, alert) in alerts.received.enumerated() {
                if let severity = alert.severity, !ExpectedAlert.severities.contains(severity) {
                    error(
                        alertsPath + ["received", "\(index)", "severity"],
                        "severity is info, warn or error, found '\(severity)'"
                    )
                }
                if let color = alert.color, !["good", "danger"].contains(color) {
                    error(
                        alertsPath + ["received", "\(index)", "color"],
                        "Slack colours are good and danger, found '\(color)'"
                    )
                }
            }
        }
        if let webhooks = assert.webhooks {
            if let canary = webhooks.canary { checkCanary(canary, at: path + ["webhooks", "canary"]) }
            if (webhooks.called ?? []).isEmpty && (webhooks.notCalled ?? []).isEmpty {
                error(path + ["webhooks"], "webhooks needs called or notCalled entries")
            }
            for (index, expected) in (webhooks.called ?? []).enumerated() where expected.onceForEachEvent == true {
                let at = path + ["webhooks", "called", "\(index)", "onceForEachEvent"]
                if webhooks.canary == nil {
                    error(at, "onceForEachEvent counts a canary's events: give webhooks.canary")
                }
                if expected.times != nil { error(at, "give times or onceForEachEvent, not both") }
            }
        }
    }

    private mutating func check(_ timeline: TimelineAssertion, at path: [String]) {
        checkCanary(timeline.canary, at: path + ["canary"])
        let checks: [Any?] = [
            timeline.phases, timeline.phasesInclude, timeline.weights, timeline.maxFailedChecks, timeline.finalPhase,
            timeline.timeToDecision, timeline.events,
        ]
        if checks.allSatisfy({ $0 == nil }) {
            error(
                path,
                "a timeline assertion needs at least one of phases, phasesInclude, weights, maxFailedChecks, finalPhase, timeToDecision, events"
            )
        }
        for (key, phases) in [("phases", timeline.phases), ("phasesInclude", timeline.phasesInclude)] {
            for (index, phase) in (phases ?? []).enumerated() { checkPhase(phase, at: path + [key, "\(index)"]) }
        }
        if let phase = timeline.finalPhase { checkPhase(phase, at: path + ["finalPhase"]) }
        for (index, weight) in (timeline.weights ?? []).enumerated() where !(1...100).contains(weight) {
            error(
                path + ["weights", "\(index)"],
                "weights are percentages from 1 to 100 (zeros are left out), found \(weight)"
            )
        }
    }

    private mutating func check(_ traffic: TrafficAssertion, at path: [String]) {
        if let run = traffic.run, !startedTraffic.contains(run) {
            error(path + ["run"], "no traffic named '\(run)' was started before this step")
        }
        if let canary = traffic.canary { checkCanary(canary, at: path + ["canary"]) }
        if traffic.canary == nil && (traffic.during != nil || traffic.canaryShare != nil) {
            error(path, "during and canaryShare need canary (whose phases and weights to use)")
        }
        for phase in traffic.during?.values ?? [] { checkPhase(phase, at: path + ["during"]) }
        for (key, rate) in [("maxErrorRate", traffic.maxErrorRate), ("minErrorRate", traffic.minErrorRate)] {
            if let rate, !(0...1).contains(rate) {
                error(path + [key], "\(key) is a fraction from 0 to 1, found \(rate)")
            }
        }
        if let share = traffic.canaryShare, !(share.tolerance > 0 && share.tolerance < 1) {
            error(
                path + ["canaryShare", "tolerance"],
                "tolerance is a fraction between 0 and 1, found \(share.tolerance)"
            )
        }
        if let statuses = traffic.statuses {
            if statuses.isEmpty { error(path + ["statuses"], "statuses lists at least one HTTP status") }
            for status in statuses where !(status == 0 || (100...599).contains(status)) {
                error(path + ["statuses"], "\(status) is not an HTTP status (100-599, or 0 for no response)")
            }
        }
        if traffic.servedVersions == nil && traffic.statuses == nil && traffic.maxErrorRate == nil
            && traffic.minErrorRate == nil && traffic.canaryShare == nil && traffic.minRequests == nil
        {
            error(
                path,
                "a traffic assertion needs servedVersions, statuses, maxErrorRate, minErrorRate, canaryShare or "
                    + "minRequests"
            )
        }
    }

    private mutating func checkCanary(_ name: String, at path: [String]) {
        guard !content.canaries.contains(name) else { return }
        let known = content.canaries.sorted()
        let hint =
            suggestion(for: name, in: known).map { " (did you mean '\($0)'?)" }
            ?? (known.isEmpty
                ? "; the scenario's manifests define no Canary" : "; known: " + known.joined(separator: ", "))
        error(path, "unknown canary '\(name)'\(hint)")
    }

    private mutating func checkPhase(_ phase: String, at path: [String]) {
        guard !Self.phases.contains(phase) else { return }
        let hint = suggestion(for: phase, in: Self.phases).map { " (did you mean '\($0)'?)" } ?? ""
        error(path, "unknown phase '\(phase)'\(hint); Flagger's phases are " + Self.phases.joined(separator: ", "))
    }

    private mutating func checkBranch(_ branch: String, at path: [String]) {
        let branches = scenario.spec.git?.effectiveBranches ?? []
        if !branches.contains(branch) {
            error(path, "unknown branch '\(branch)'; spec.git.branches has " + branches.joined(separator: ", "))
        }
    }

    private func suggestion(for name: String, in candidates: some Sequence<String>) -> String? {
        Suggestion.closest(to: name, in: candidates)
    }

    private mutating func error(_ path: [String], _ message: String) {
        problems.append(context.error(path, message))
    }

    private mutating func warning(_ path: [String], _ message: String) {
        problems.append(context.warning(path, message))
    }

    static func isDNSLabel(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 63, text.first != "-", text.last != "-" else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
