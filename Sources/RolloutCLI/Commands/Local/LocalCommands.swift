import Foundation
import HarnessServers
import LocalBackend

/// `up`/`down`/`status` on the local backend.
enum LocalCommands {
    /// Brings the stack up in the foreground and keeps it up until Ctrl-C, SIGTERM or `rollout-e2e down`, then stops
    /// everything it started. When a live harness already owns the work directory, prints its state instead.
    static func up(_ options: BackendOptions, keep: Bool) async throws {
        let workDirectory = WorkArea(path: options.workDir).stack
        if let owner = workDirectory.ownerPID, owner != getpid() {
            say("local stack already up (harness pid \(owner), work directory \(workDirectory.path))")
            try printState(workDirectory)
            return
        }
        let signals = SignalWatcher()
        // A closed terminal or pipe must not kill the harness before it has stopped its children.
        signal(SIGPIPE, SIG_IGN)
        let began = ContinuousClock.now
        let startup = Task {
            try await LocalStack.start(
                LocalStackOptions(
                    workDirectory: workDirectory.path,
                    timeScale: options.timeScale,
                    podinfoPath: options.podinfo
                )
            )
        }
        let interrupted = Task {
            _ = await signals.wait()
            startup.cancel()
        }
        let stack: LocalStack
        do {
            stack = try await startup.value
        } catch let error as LocalBackendError {
            interrupted.cancel()
            if signals.received != nil {
                cleanUpInterruptedStart(workDirectory)
                say("interrupted; stopped everything")
                return
            }
            switch error.code {
            case .missingBinary: throw CLIError.environment(error.message)
            case .busy, .input: throw CLIError.badInput(error.message)
            default: throw CLIError.failed(error.message)
            }
        } catch {
            interrupted.cancel()
            cleanUpInterruptedStart(workDirectory)
            if signals.received != nil {
                say("interrupted; stopped everything")
                return
            }
            throw CLIError.failed("\(error)")
        }
        if signals.received != nil {
            await stack.stop()
            say("interrupted; stopped everything")
            return
        }
        let elapsed = began.duration(to: .now)
        say("local stack up in \(format(elapsed)) (work directory \(workDirectory.path))")
        let initialized = Task { try await stack.waitForCanaries(phase: "Initialized", timeout: .seconds(60)) }
        let cancelWait = Task {
            _ = await signals.wait()
            initialized.cancel()
        }
        do {
            _ = try await initialized.value
            say("canaries Initialized \(format(began.duration(to: .now))) after up started")
        } catch {
            if signals.received == nil { say("warning: \(error)") }
        }
        cancelWait.cancel()
        say("ingress:      \(stack.ingressURL)")
        say("  try:        curl -H 'Host: \(DefaultApp.host)' \(stack.ingressURL)/")
        say("prometheus:   \(stack.prometheusURL)")
        say("loadtester:   \(stack.loadtesterURL)")
        say("alerts:       \(stack.alertReceiverURL)")
        if let repository = stack.repository { say("git:          \(repository.url) (branches main, staging)") }
        say("logs:         \(workDirectory.logs)")
        say("stop with Ctrl-C or `rollout-e2e down --work-dir \(options.workDir)`")
        _ = await signals.wait()
        if keep {
            say("--keep: leaving the processes running; `rollout-e2e down` stops them")
            return
        }
        await stack.stop()
        say("stopped everything")
    }

    /// Stops everything under the work directory: `up`'s stack and every scenario session of a `run`, running or
    /// left behind by a harness that was killed. Each live harness gets SIGTERM (it stops its own children), SIGKILL
    /// after 30 s; then whatever the pid files still name is stopped.
    static func down(_ options: BackendOptions) async throws {
        let area = WorkArea(path: options.workDir)
        let entries = area.entries
        guard !entries.isEmpty else {
            say("local: nothing to stop under \(area.path)")
            return
        }
        let owners = Set(entries.compactMap(\.directory.ownerPID)).subtracting([getpid()])
        for owner in owners.sorted() { kill(owner, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(30)
        while owners.contains(where: StaleProcesses.isAlive), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        for owner in owners where StaleProcesses.isAlive(owner) {
            say("harness pid \(owner) did not stop within 30 s; killing it")
            kill(owner, SIGKILL)
        }
        for entry in entries {
            let leftovers = StaleProcesses.clean(pidDirectory: entry.directory.pids)
            for line in leftovers { say("\(entry.label): stopped leftover \(line)") }
            entry.directory.release()
            say("\(entry.label): stopped")
        }
    }

    /// Prints `up`'s stack (components, Deployments, Canaries) and every scenario session, saying which are
    /// running, which were left behind by a killed harness (stale: `down` stops them) and which are stopped.
    static func status(_ options: BackendOptions) async throws {
        let area = WorkArea(path: options.workDir)
        let stack = area.stack
        switch stack.liveness {
        case .running(let owner):
            say("local stack: up (harness pid \(owner), work directory \(stack.path))")
            try printState(stack)
        case .stale(let leftovers):
            say("local stack: stale (its harness is gone; still running: \(leftovers.joined(separator: ", ")))")
            say("  `rollout-e2e down --work-dir \(options.workDir)` stops them")
        case .stopped:
            say("local stack: not running (\(stack.path))")
        }
        let others = area.entries.filter { $0.directory.path != stack.path }
        guard !others.isEmpty else { return }
        say("\n" + "SESSION".padding(40) + "STATE")
        var stale = false
        for entry in others {
            let state: String
            switch entry.directory.liveness {
            case .running(let owner): state = "running (harness pid \(owner))"
            case .stopped: state = "stopped"
            case .stale(let leftovers):
                stale = true
                state = "stale: harness gone, still running: " + leftovers.joined(separator: ", ")
            }
            say(entry.label.padding(40) + state)
        }
        if stale { say("stale sessions: `rollout-e2e down --work-dir \(options.workDir)` stops what they left") }
    }

    private static func printState(_ workDirectory: WorkDirectory) throws {
        guard let data = FileManager.default.contents(atPath: workDirectory.stateFile),
            let state = try? JSONDecoder().decode(StackState.self, from: data)
        else {
            say("(starting; no state yet)")
            return
        }
        say("ingress: \(state.ingressURL)   time scale: \(state.timeScale)")
        say("COMPONENT".padding(30) + "PID".padding(10) + "URL")
        for component in state.components {
            let pid = component.pid.map(String.init) ?? (component.running ? "" : "stopped")
            say(component.name.padding(30) + pid.padding(10) + (component.url ?? ""))
        }
        if !state.deployments.isEmpty {
            say("\n" + "DEPLOYMENT".padding(40) + "READY".padding(10) + "UP-TO-DATE".padding(12) + "AVAILABLE")
            for deployment in state.deployments {
                say(
                    "\(deployment.namespace)/\(deployment.name)".padding(40)
                        + "\(deployment.ready)/\(deployment.desired)".padding(10)
                        + "\(deployment.updated)".padding(12) + (deployment.available ? "True" : "False")
                )
            }
        }
        say("\n" + "CANARY".padding(40) + "PHASE".padding(20) + "WEIGHT".padding(8) + "FAILED CHECKS")
        for canary in state.canaries {
            say(
                "\(canary.namespace)/\(canary.name)".padding(40)
                    + (canary.phase.isEmpty ? "-" : canary.phase).padding(20)
                    + "\(canary.canaryWeight)".padding(8) + "\(canary.failedChecks)"
            )
        }
    }

    /// After an interrupted or failed start: stop whatever the pid files name and give up the work directory.
    private static func cleanUpInterruptedStart(_ workDirectory: WorkDirectory) {
        StaleProcesses.clean(pidDirectory: workDirectory.pids)
        workDirectory.release()
    }

    private static func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.2f s", seconds)
    }
}

/// Writes a line to stdout at once (`print` buffers when stdout is a pipe, and `up` runs until interrupted).
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
