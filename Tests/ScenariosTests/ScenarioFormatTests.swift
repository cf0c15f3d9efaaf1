import Foundation
import ObjectModel
import Scenarios
import Testing
import YAML

/// Reading scenario files: what decodes, and every mistake reported at its line and column.
struct ScenarioFormatTests {
    @Test func aFullScenarioDecodesEveryStepKind() throws {
        let text = Fixtures.scenario(
            steps: """
                    - name: wait for initialization
                      wait: {canary: podinfo, phase: Initialized}
                      timeout: 2m
                    - traffic: {start: users, path: /, rate: 20, until: {canary: podinfo}}
                    - commit:
                        message: release 6.0.1
                        changes:
                          - file: apps/podinfo/deployment.yaml
                            image: {container: podinfo, tag: 6.0.1}
                          - file: apps/podinfo/deployment.yaml
                            env: {name: PODINFO_RANDOM_ERROR, value: "true"}
                    - gate: {canary: podinfo, type: confirm-promotion, action: open}
                    - fault: {component: nginx, action: restart}
                    - fault: {deployment: podinfo-primary, replica: 0, action: kill}
                    - sleep: 30s
                    - wait: {canary: podinfo, phase: [Succeeded, Failed]}
                    - apply: {manifests: [{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}]}
                    - delete: {kind: ConfigMap, name: x}
                    - traffic: {stop: users}
                    - assert:
                        timeline:
                          canary: podinfo
                          phases: [Initialized, Progressing, Promoting, Finalising, Succeeded]
                          weights: [10, 20, 30, 40, 50]
                          maxFailedChecks: 0
                          finalPhase: Succeeded
                          timeToDecision: {atMost: 10m}
                        object:
                          kind: Deployment
                          name: podinfo-primary
                          match: {spec: {template: {spec: {containers: [{image: "ghcr.io/stefanprodan/podinfo:6.0.1"}]}}}}
                        traffic: {run: users, maxErrorRate: 0, canary: podinfo, during: Progressing}
                        alerts: {canary: podinfo, received: [{message: promotion finished, severity: info}]}
                        webhooks: {called: [{name: load-test, times: {atLeast: 1}}]}
                """,
            extra: """
                  catch:
                    - wait: {canary: podinfo, phase: Failed}
                  finally:
                    - traffic: {stop: users}
                """
        )
        let loaded = try Fixtures.loaded(text)
        let spec = loaded.scenario.spec
        #expect(loaded.name == "promote")
        #expect(spec.steps.count == 12)
        #expect(spec.steps[0].displayName == "wait for initialization")
        #expect(spec.steps[0].timeout?.seconds == 120)
        guard case .traffic(.start(let traffic)) = spec.steps[1].action else {
            Issue.record("step 2 is not a traffic start")
            return
        }
        #expect(traffic.rate == 20)
        #expect(traffic.until?.canary == "podinfo")
        guard case .commit(let commit) = spec.steps[2].action else {
            Issue.record("step 3 is not a commit")
            return
        }
        #expect(commit.changes.count == 2)
        #expect(commit.changes[0].edit == .image(ImageEdit(container: "podinfo", tag: "6.0.1")))
        guard case .fault(let fault) = spec.steps[5].action else {
            Issue.record("step 6 is not a fault")
            return
        }
        #expect(fault.target == .replica(deployment: "podinfo-primary", namespace: nil, index: 0))
        guard case .wait(let wait) = spec.steps[7].action else {
            Issue.record("step 8 is not a wait")
            return
        }
        #expect(wait.phase?.values == ["Succeeded", "Failed"])
        guard case .assert(let assert) = spec.steps[11].action else {
            Issue.record("step 12 is not an assert")
            return
        }
        #expect(assert.kinds == ["timeline", "object", "traffic", "alerts", "webhooks"])
        #expect(assert.timeline?.maxFailedChecks == IntBound(atMost: 0))
        #expect(spec.catch?.count == 1)
        #expect(spec.finally?.count == 1)
        #expect(loaded.content.canaries == ["podinfo"])
        #expect(loaded.content.ingressHosts == ["app.example.com"])
    }

    /// (step YAML, expected line:col of the first error, a fragment of its message)
    static let mistakes: [(String, String, String)] = [
        ("    - comit: {changes: []}", "13:7", "unknown key 'comit' (did you mean 'commit'?)"),
        (
            "    - sleep: 10s\n      wait: {canary: podinfo, phase: Succeeded}", "14:7",
            "exactly one action, found 'sleep' and 'wait'"
        ),
        ("    - name: nothing", "13:7", "a step needs one action"),
        ("    - sleep: 10 seconds", "13:14", "invalid duration"),
        ("    - traffic: {start: users, rate: fast}", "13:37", "expected a number, found \"fast\""),
        (
            "    - wait: {canary: podinfo, phase: Succeded}", "13:38",
            "unknown phase 'Succeded' (did you mean 'Succeeded'?)"
        ),
        (
            "    - wait: {canary: podnfo, phase: Succeeded}", "13:22",
            "unknown canary 'podnfo' (did you mean 'podinfo'?)"
        ),
        (
            "    - wait: {canary: podinfo}", "13:13",
            "a canary wait needs phase, canaryWeight, failedChecks or iterations"
        ),
        ("    - traffic: {stop: users}", "13:23", "no traffic named 'users' was started before this step"),
        (
            "    - gate: {canary: podinfo, type: confirm-promo, action: open}", "13:37",
            "unknown value 'confirm-promo'; expected one of confirm-rollout"
        ),
        ("    - fault: {component: nginxx, action: kill}", "13:26", "unknown component 'nginxx'"),
        ("    - assert: {}", "13:15", "assert needs at least one of timeline"),
        ("    - assert: {timeline: {canary: podinfo}}", "13:26", "a timeline assertion needs at least one of"),
        ("    - assert: {traffic: {maxErrorRate: 2}}", "13:40", "maxErrorRate is a fraction from 0 to 1"),
        ("    - assert: {traffic: {statuses: [200, 700]}}", "13:36", "700 is not an HTTP status"),
        (
            "    - assert: {traffic: {servedVersions: [6.0.1], during: Progressing}}", "13:25",
            "during and canaryShare need canary"
        ),
        (
            "    - assert: {alerts: {received: [{message: x, severity: critical}]}}", "13:59",
            "severity is info, warn or error"
        ),
        (
            "    - commit: {changes: [{file: apps/podinfo/deploy.yaml, image: {tag: 6.0.1}}]}", "13:33",
            "no file 'apps/podinfo/deploy.yaml'"
        ),
        (
            "    - commit: {changes: [{file: apps/podinfo/deployment.yaml}]}", "13:26",
            "a change needs exactly one of image, env, set"
        ),
        ("    - commit: {branch: staging, changes: [{file: a.yaml, content: x}]}", "13:24", "unknown branch 'staging'"),
        (
            "    - assert: {timeline: {canary: podinfo, weights: [0, 10]}}", "13:54",
            "weights are percentages from 1 to 100"
        ),
        ("    - sleep: 10s\n      timeout: 0s", "14:16", "timeout must be positive"),
    ]

    @Test(arguments: mistakes)
    func mistakesAreReportedAtTheirMark(step: String, position: String, message: String) throws {
        let (scenario, diagnostics) = try Fixtures.load(Fixtures.scenario(steps: step))
        #expect(scenario == nil)
        let first = try #require(diagnostics.first { $0.severity == .error })
        #expect(first.description.contains("/s.yaml:\(position): error: "), "\(first.description)")
        #expect(first.message.contains(message), "\(first)")
    }

    @Test func theWrongApiVersionIsNamed() throws {
        let text = Fixtures.scenario(steps: "    - sleep: 1s").replacingOccurrences(
            of: "rollout-e2e/v1",
            with: "rollout-e2e/v2"
        )
        let (scenario, diagnostics) = try Fixtures.load(text)
        #expect(scenario == nil)
        #expect(diagnostics.first?.message == "unsupported apiVersion 'rollout-e2e/v2'; use rollout-e2e/v1")
        #expect(diagnostics.first?.mark == Mark(line: 1, column: 13))
    }

    @Test func aMissingGitDirectoryIsReportedAtContent() throws {
        let dir = try Fixtures.directory(["s.yaml": Fixtures.scenario(steps: "    - sleep: 1s")])
        let (scenario, diagnostics) = ScenarioLoader.load(path: dir + "/s.yaml")
        #expect(scenario == nil)
        #expect(diagnostics.first?.mark == Mark(line: 9, column: 14))
        #expect(diagnostics.first?.message.hasPrefix("no such directory") == true)
    }

    @Test func scenarioDocumentsAreToldApartFromManifests() throws {
        #expect(ScenarioLoader.isScenario(text: Fixtures.scenario(steps: "    - sleep: 1s"), file: "a.yaml"))
        #expect(ScenarioLoader.isScenario(text: "kind: Scenario\n", file: "a.yaml"))
        #expect(
            !ScenarioLoader.isScenario(text: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", file: "a.yaml")
        )
        #expect(!ScenarioLoader.isScenario(text: "a: [", file: "a.yaml"))
    }

    @Test(arguments: [
        ("spec.replicas", ["spec", "replicas"]),
        ("spec.template.spec.containers[0].image", ["spec", "template", "spec", "containers", "0", "image"]),
        ("items[1][2]", ["items", "1", "2"]),
    ])
    func setPathsSplitIntoComponents(path: String, components: [String]) {
        #expect(SetEdit(path: path, value: .scalar(Scalar(value: "1"))).components == components)
    }

    @Test(arguments: ["", "a..b", "a[x]", "a[1", "a[-1]"])
    func malformedSetPathsAreRejected(path: String) {
        #expect(SetEdit(path: path, value: .scalar(Scalar(value: "1"))).components == nil)
    }

    @Test(arguments: [
        ("ghcr.io/stefanprodan/podinfo:6.0.0", "ghcr.io/stefanprodan/podinfo:6.0.1"),
        ("localhost:5000/podinfo", "localhost:5000/podinfo:6.0.1"),
        ("podinfo@sha256:abc", "podinfo:6.0.1"),
    ])
    func imageTagsReplaceOnlyTheTag(current: String, expected: String) {
        #expect(ImageEdit(tag: "6.0.1").apply(to: current) == expected)
    }
}
