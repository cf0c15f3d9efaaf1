import Foundation
import TestSupport
import Testing

/// `rollout-e2e analyze` run as users run it: the built binary on a Canary and ticks written to a temp directory.
/// The golden cases reproduce spec/flagger.md §8 N1, N2, N3, N6, N9 and U9–U12 line by line in the normative
/// output format of DESIGN.md §6 (tick 0 initializes the Canary, so the spec's T0 is tick 1 here).
struct AnalyzeCommandTests {
    struct Golden: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var canary: String
        var ticks: String
        var expected: String
    }

    static let goldens: [Golden] = [
        Golden(
            testDescription: "n1-happy-canary",
            canary: """
                apiVersion: flagger.app/v1beta1
                kind: Canary
                metadata:
                  name: podinfo
                  namespace: test
                spec:
                  provider: nginx
                  targetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: podinfo
                  ingressRef:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    name: podinfo
                  progressDeadlineSeconds: 60
                  service:
                    port: 80
                    targetPort: http
                  analysis:
                    interval: 15s
                    threshold: 5
                    maxWeight: 40
                    stepWeight: 20
                    metrics:
                      - name: request-success-rate
                        thresholdRange:
                          min: 1
                        interval: 30s
                      - name: latency
                        templateRef:
                          name: latency
                          namespace: ingress-nginx
                        thresholdRange:
                          max: 0.5
                        interval: 30s
                        templateVariables:
                          path: root
                    webhooks:
                      - name: load-test
                        url: http://flagger-loadtester.test/
                        timeout: 5s
                        metadata:
                          type: cmd
                          cmd: "hey -z 2m -q 10 -c 2 -host app.example.com http://ingress-nginx-controller.ingress-nginx"
                """,
            ticks: """
                ticks:
                  - {}
                  - revision: v2
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                """,
            expected: """
                {"tick":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["all the metrics providers are available!","Initialization done! podinfo.test"]}
                {"tick":1,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["New revision detected! Scaling up podinfo.test"]}
                {"tick":2,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"failedChecks":0,"iterations":0,"events":["Starting canary analysis for podinfo.test","Advance podinfo.test canary weight 20"]}
                {"tick":3,"phase":"Progressing","canaryWeight":40,"routerWeight":40,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 40"]}
                {"tick":4,"phase":"Promoting","canaryWeight":40,"routerWeight":40,"failedChecks":0,"iterations":0,"events":["Copying podinfo.test template spec to podinfo-primary.test"]}
                {"tick":5,"phase":"Finalising","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Routing all traffic to primary"]}
                {"tick":6,"phase":"Succeeded","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Promotion completed! Scaling down podinfo.test"]}
                """ + "\n"
        ),
        Golden(
            testDescription: "n2-rollback",
            canary: """
                apiVersion: flagger.app/v1beta1
                kind: Canary
                metadata:
                  name: podinfo
                  namespace: test
                spec:
                  provider: nginx
                  targetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: podinfo
                  ingressRef:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    name: podinfo
                  progressDeadlineSeconds: 60
                  service:
                    port: 80
                    targetPort: http
                  analysis:
                    interval: 15s
                    threshold: 2
                    maxWeight: 40
                    stepWeight: 20
                    metrics:
                      - name: request-success-rate
                        thresholdRange:
                          min: 1
                        interval: 30s
                """,
            ticks: """
                ticks:
                  - {}
                  - revision: v2
                  - {}
                  - metrics: {request-success-rate: 0}
                  - metrics: {request-success-rate: 0}
                  - metrics: {request-success-rate: 0}
                """,
            expected: """
                {"tick":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["all the metrics providers are available!","Initialization done! podinfo.test"]}
                {"tick":1,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["New revision detected! Scaling up podinfo.test"]}
                {"tick":2,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"failedChecks":0,"iterations":0,"events":["Starting canary analysis for podinfo.test","Advance podinfo.test canary weight 20"]}
                {"tick":3,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"failedChecks":1,"iterations":0,"events":["Halt podinfo.test advancement success rate 0.00% < 1%"]}
                {"tick":4,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"failedChecks":2,"iterations":0,"events":["Halt podinfo.test advancement success rate 0.00% < 1%"]}
                {"tick":5,"phase":"Failed","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Rolling back podinfo.test failed checks threshold reached 2","Canary failed! Scaling down podinfo.test"]}
                """ + "\n"
        ),
        Golden(
            testDescription: "n3-non-consecutive-failures",
            canary: """
                apiVersion: flagger.app/v1beta1
                kind: Canary
                metadata:
                  name: podinfo
                  namespace: test
                spec:
                  provider: nginx
                  targetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: podinfo
                  ingressRef:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    name: podinfo
                  progressDeadlineSeconds: 60
                  service:
                    port: 80
                    targetPort: http
                  analysis:
                    interval: 15s
                    threshold: 2
                    maxWeight: 50
                    stepWeight: 10
                    metrics:
                      - name: request-success-rate
                        thresholdRange:
                          min: 1
                        interval: 30s
                """,
            ticks: """
                ticks:
                  - {}
                  - revision: v2
                  - {}
                  - {}
                  - metrics: {request-success-rate: 0.5}
                  - {}
                  - metrics: {request-success-rate: null}
                  - {}
                """,
            expected: """
                {"tick":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["all the metrics providers are available!","Initialization done! podinfo.test"]}
                {"tick":1,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["New revision detected! Scaling up podinfo.test"]}
                {"tick":2,"phase":"Progressing","canaryWeight":10,"routerWeight":10,"failedChecks":0,"iterations":0,"events":["Starting canary analysis for podinfo.test","Advance podinfo.test canary weight 10"]}
                {"tick":3,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 20"]}
                {"tick":4,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"failedChecks":1,"iterations":0,"events":["Halt podinfo.test advancement success rate 0.50% < 1%"]}
                {"tick":5,"phase":"Progressing","canaryWeight":30,"routerWeight":30,"failedChecks":1,"iterations":0,"events":["Advance podinfo.test canary weight 30"]}
                {"tick":6,"phase":"Progressing","canaryWeight":30,"routerWeight":30,"failedChecks":2,"iterations":0,"events":["Halt advancement no values found for nginx metric request-success-rate probably podinfo.test is not receiving traffic: running query failed: no values found"]}
                {"tick":7,"phase":"Failed","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Rolling back podinfo.test failed checks threshold reached 2","Canary failed! Scaling down podinfo.test"]}
                """ + "\n"
        ),
        Golden(
            testDescription: "n6-confirm-promotion",
            canary: """
                apiVersion: flagger.app/v1beta1
                kind: Canary
                metadata:
                  name: podinfo
                  namespace: test
                spec:
                  provider: nginx
                  targetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: podinfo
                  ingressRef:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    name: podinfo
                  progressDeadlineSeconds: 60
                  service:
                    port: 80
                    targetPort: http
                  analysis:
                    interval: 15s
                    threshold: 5
                    maxWeight: 40
                    stepWeight: 20
                    metrics:
                      - name: request-success-rate
                        thresholdRange:
                          min: 1
                        interval: 30s
                    webhooks:
                      - name: gate
                        type: confirm-promotion
                        url: http://flagger-loadtester.test/gate/check
                """,
            ticks: """
                ticks:
                  - {}
                  - revision: v2
                  - {}
                  - {}
                  - webhooks: {gate: 403}
                  - webhooks: {gate: 403}
                  - {webhooks: {gate: 403}, metrics: {request-success-rate: 0}}
                  - {}
                  - {}
                  - {}
                """,
            expected: """
                {"tick":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["all the metrics providers are available!","Initialization done! podinfo.test"]}
                {"tick":1,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["New revision detected! Scaling up podinfo.test"]}
                {"tick":2,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"failedChecks":0,"iterations":0,"events":["Starting canary analysis for podinfo.test","Advance podinfo.test canary weight 20"]}
                {"tick":3,"phase":"Progressing","canaryWeight":40,"routerWeight":40,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 40"]}
                {"tick":4,"phase":"WaitingPromotion","canaryWeight":0,"routerWeight":40,"failedChecks":0,"iterations":-1,"events":["Halt podinfo.test advancement waiting for promotion approval gate"]}
                {"tick":5,"phase":"WaitingPromotion","canaryWeight":0,"routerWeight":40,"failedChecks":0,"iterations":-1,"events":[]}
                {"tick":6,"phase":"WaitingPromotion","canaryWeight":0,"routerWeight":40,"failedChecks":1,"iterations":-1,"events":["Halt podinfo.test advancement success rate 0.00% < 1%"]}
                {"tick":7,"phase":"Promoting","canaryWeight":0,"routerWeight":40,"failedChecks":1,"iterations":-1,"events":["Confirm-promotion check gate passed","Copying podinfo.test template spec to podinfo-primary.test"]}
                {"tick":8,"phase":"Finalising","canaryWeight":0,"routerWeight":0,"failedChecks":1,"iterations":0,"events":["Routing all traffic to primary"]}
                {"tick":9,"phase":"Succeeded","canaryWeight":0,"routerWeight":0,"failedChecks":1,"iterations":0,"events":["Promotion completed! Scaling down podinfo.test"]}
                """ + "\n"
        ),
        Golden(
            testDescription: "n9-step-weight-promotion",
            canary: """
                apiVersion: flagger.app/v1beta1
                kind: Canary
                metadata:
                  name: podinfo
                  namespace: test
                spec:
                  provider: nginx
                  targetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: podinfo
                  ingressRef:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    name: podinfo
                  progressDeadlineSeconds: 60
                  service:
                    port: 80
                    targetPort: http
                  analysis:
                    interval: 15s
                    threshold: 5
                    maxWeight: 40
                    stepWeight: 20
                    metrics:
                      - name: request-success-rate
                        thresholdRange:
                          min: 1
                        interval: 30s
                    stepWeightPromotion: 20
                """,
            ticks: """
                ticks:
                  - {}
                  - revision: v2
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                """,
            expected: """
                {"tick":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["all the metrics providers are available!","Initialization done! podinfo.test"]}
                {"tick":1,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["New revision detected! Scaling up podinfo.test"]}
                {"tick":2,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"failedChecks":0,"iterations":0,"events":["Starting canary analysis for podinfo.test","Advance podinfo.test canary weight 20"]}
                {"tick":3,"phase":"Progressing","canaryWeight":40,"routerWeight":40,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 40"]}
                {"tick":4,"phase":"Promoting","canaryWeight":40,"routerWeight":40,"failedChecks":0,"iterations":0,"events":["Copying podinfo.test template spec to podinfo-primary.test"]}
                {"tick":5,"phase":"Promoting","canaryWeight":20,"routerWeight":20,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test primary weight 80"]}
                {"tick":6,"phase":"Finalising","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test primary weight 100"]}
                {"tick":7,"phase":"Succeeded","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Promotion completed! Scaling down podinfo.test"]}
                """ + "\n"
        ),
        Golden(
            testDescription: "u9-service-max-weight-overshoot",
            canary: """
                apiVersion: flagger.app/v1beta1
                kind: Canary
                metadata:
                  name: podinfo
                  namespace: test
                spec:
                  provider: nginx
                  targetRef:
                    apiVersion: v1
                    kind: Service
                    name: podinfo
                  ingressRef:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    name: podinfo
                  progressDeadlineSeconds: 60
                  service:
                    port: 80
                    targetPort: http
                  analysis:
                    interval: 15s
                    threshold: 10
                    maxWeight: 50
                    stepWeight: 20
                    metrics:
                      - name: request-success-rate
                        thresholdRange:
                          min: 1
                        interval: 30s
                """,
            ticks: """
                ticks:
                  - {}
                  - revision: v2
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                """,
            expected: """
                {"tick":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["all the metrics providers are available!","Initialization done! podinfo.test"]}
                {"tick":1,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["New revision detected! Scaling up podinfo.test"]}
                {"tick":2,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"failedChecks":0,"iterations":0,"events":["Starting canary analysis for podinfo.test","Advance podinfo.test canary weight 20"]}
                {"tick":3,"phase":"Progressing","canaryWeight":40,"routerWeight":40,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 40"]}
                {"tick":4,"phase":"Progressing","canaryWeight":60,"routerWeight":60,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 60"]}
                {"tick":5,"phase":"Promoting","canaryWeight":60,"routerWeight":60,"failedChecks":0,"iterations":0,"events":["Copying podinfo.test template spec to podinfo-primary.test"]}
                {"tick":6,"phase":"Finalising","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Routing all traffic to primary"]}
                {"tick":7,"phase":"Succeeded","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Promotion completed! Scaling down podinfo.test"]}
                """ + "\n"
        ),
        Golden(
            testDescription: "u10-service-step-50",
            canary: """
                apiVersion: flagger.app/v1beta1
                kind: Canary
                metadata:
                  name: podinfo
                  namespace: test
                spec:
                  provider: nginx
                  targetRef:
                    apiVersion: v1
                    kind: Service
                    name: podinfo
                  ingressRef:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    name: podinfo
                  progressDeadlineSeconds: 60
                  service:
                    port: 80
                    targetPort: http
                  analysis:
                    interval: 15s
                    threshold: 10
                    maxWeight: 100
                    stepWeight: 50
                    metrics:
                      - name: request-success-rate
                        thresholdRange:
                          min: 1
                        interval: 30s
                """,
            ticks: """
                ticks:
                  - {}
                  - revision: v2
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                """,
            expected: """
                {"tick":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["all the metrics providers are available!","Initialization done! podinfo.test"]}
                {"tick":1,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["New revision detected! Scaling up podinfo.test"]}
                {"tick":2,"phase":"Progressing","canaryWeight":50,"routerWeight":50,"failedChecks":0,"iterations":0,"events":["Starting canary analysis for podinfo.test","Advance podinfo.test canary weight 50"]}
                {"tick":3,"phase":"Progressing","canaryWeight":100,"routerWeight":100,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 100"]}
                {"tick":4,"phase":"Promoting","canaryWeight":100,"routerWeight":100,"failedChecks":0,"iterations":0,"events":["Copying podinfo.test template spec to podinfo-primary.test"]}
                {"tick":5,"phase":"Finalising","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Routing all traffic to primary"]}
                {"tick":6,"phase":"Succeeded","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Promotion completed! Scaling down podinfo.test"]}
                """ + "\n"
        ),
        Golden(
            testDescription: "u11-step-weights",
            canary: """
                apiVersion: flagger.app/v1beta1
                kind: Canary
                metadata:
                  name: podinfo
                  namespace: test
                spec:
                  provider: nginx
                  targetRef:
                    apiVersion: v1
                    kind: Service
                    name: podinfo
                  ingressRef:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    name: podinfo
                  progressDeadlineSeconds: 60
                  service:
                    port: 80
                    targetPort: http
                  analysis:
                    interval: 1m
                    threshold: 10
                    stepWeights: [1, 2, 10, 80]
                """,
            ticks: """
                ticks:
                  - {}
                  - revision: v2
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                """,
            expected: """
                {"tick":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["all the metrics providers are available!","Initialization done! podinfo.test"]}
                {"tick":1,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["New revision detected! Scaling up podinfo.test"]}
                {"tick":2,"phase":"Progressing","canaryWeight":1,"routerWeight":1,"failedChecks":0,"iterations":0,"events":["Starting canary analysis for podinfo.test","Advance podinfo.test canary weight 1"]}
                {"tick":3,"phase":"Progressing","canaryWeight":2,"routerWeight":2,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 2"]}
                {"tick":4,"phase":"Progressing","canaryWeight":10,"routerWeight":10,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 10"]}
                {"tick":5,"phase":"Progressing","canaryWeight":80,"routerWeight":80,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 80"]}
                {"tick":6,"phase":"Promoting","canaryWeight":80,"routerWeight":80,"failedChecks":0,"iterations":0,"events":["Copying podinfo.test template spec to podinfo-primary.test"]}
                {"tick":7,"phase":"Finalising","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Routing all traffic to primary"]}
                {"tick":8,"phase":"Succeeded","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Promotion completed! Scaling down podinfo.test"]}
                """ + "\n"
        ),
        Golden(
            testDescription: "u12-step-weights-overflow",
            canary: """
                apiVersion: flagger.app/v1beta1
                kind: Canary
                metadata:
                  name: podinfo
                  namespace: test
                spec:
                  provider: nginx
                  targetRef:
                    apiVersion: v1
                    kind: Service
                    name: podinfo
                  ingressRef:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    name: podinfo
                  progressDeadlineSeconds: 60
                  service:
                    port: 80
                    targetPort: http
                  analysis:
                    interval: 1m
                    threshold: 10
                    stepWeights: [1, 2, 10, 200]
                """,
            ticks: """
                ticks:
                  - {}
                  - revision: v2
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                  - {}
                """,
            expected: """
                {"tick":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["all the metrics providers are available!","Initialization done! podinfo.test"]}
                {"tick":1,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["New revision detected! Scaling up podinfo.test"]}
                {"tick":2,"phase":"Progressing","canaryWeight":1,"routerWeight":1,"failedChecks":0,"iterations":0,"events":["Starting canary analysis for podinfo.test","Advance podinfo.test canary weight 1"]}
                {"tick":3,"phase":"Progressing","canaryWeight":2,"routerWeight":2,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 2"]}
                {"tick":4,"phase":"Progressing","canaryWeight":10,"routerWeight":10,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 10"]}
                {"tick":5,"phase":"Progressing","canaryWeight":100,"routerWeight":100,"failedChecks":0,"iterations":0,"events":["Advance podinfo.test canary weight 100"]}
                {"tick":6,"phase":"Promoting","canaryWeight":100,"routerWeight":100,"failedChecks":0,"iterations":0,"events":["Copying podinfo.test template spec to podinfo-primary.test"]}
                {"tick":7,"phase":"Finalising","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Routing all traffic to primary"]}
                {"tick":8,"phase":"Succeeded","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"events":["Promotion completed! Scaling down podinfo.test"]}
                """ + "\n"
        ),
    ]

    static func write(_ files: [String: String]) throws -> String {
        try temporaryDirectory(prefix: "analyze", files: files)
    }

    static func analyze(_ arguments: [String], in dir: String) throws -> CommandResult {
        try runCommand(BuiltProducts.executable("rollout-e2e"), ["analyze"] + arguments, workingDirectory: dir)
    }

    @Test(arguments: goldens)
    func reproducesSpecCasesLineByLine(_ golden: Golden) throws {
        let dir = try Self.write(["canary.yaml": golden.canary, "ticks.yaml": golden.ticks])
        let result = try Self.analyze(["canary.yaml", "--ticks", "ticks.yaml"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let expected = golden.expected.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == expected.count)
        for (index, (line, want)) in zip(lines, expected).enumerated() {
            #expect(line == want, "line \(index + 1)")
        }
    }

    static var canary: String { goldens[1].canary }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var canary: String
        var ticks: String
        /// Expected stderr lines (prefixes).
        var errors: [String]
    }

    static let badInputs: [BadInput] = [
        BadInput(
            testDescription: "typo'd tick key",
            canary: canary,
            ticks: "ticks:\n  - {}\n  - canaryReadyy: false\n",
            errors: ["ticks.yaml:3:5: error: unknown key 'canaryReadyy'; did you mean 'canaryReady'?"]
        ),
        BadInput(
            testDescription: "metric the canary does not have",
            canary: canary,
            ticks: "ticks:\n  - metrics: {request-succes-rate: 99}\n",
            errors: [
                "ticks.yaml:2:15: error: unknown metric 'request-succes-rate'; did you mean 'request-success-rate'?"
            ]
        ),
        BadInput(
            testDescription: "metric value of the wrong type",
            canary: canary,
            ticks: "ticks:\n  - metrics:\n      request-success-rate: [1]\n",
            errors: ["ticks.yaml:3:29: error: metric request-success-rate must be a number"]
        ),
        BadInput(
            testDescription: "ticks is not a list",
            canary: canary,
            ticks: "ticks: 3\n",
            errors: ["ticks.yaml:1:8: error: ticks must be a list"]
        ),
        BadInput(
            testDescription: "invalid canary and invalid ticks are both reported",
            canary: canary.replacingOccurrences(of: "stepWeight: 20", with: "stepWeight: 0"),
            ticks: "tick:\n  - {}\n",
            errors: [
                "canary.yaml:24:17: error: stepWeight must be greater than 0",
                "ticks.yaml:1:1: error: unknown key 'tick'; did you mean 'ticks'?",
            ]
        ),
        BadInput(
            testDescription: "no Canary in the file",
            canary: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: test\n",
            ticks: "ticks: []\n",
            errors: ["canary.yaml:1:1: error: no flagger.app/v1beta1 Canary in this file"]
        ),
        BadInput(
            testDescription: "YAML syntax error in the ticks",
            canary: canary,
            ticks: "ticks:\n  - {revision: v2\n  - {}\n",
            errors: ["ticks.yaml:"]
        ),
    ]

    @Test(arguments: badInputs)
    func badInputExitsTwoWithLocatedErrors(_ bad: BadInput) throws {
        let dir = try Self.write(["canary.yaml": bad.canary, "ticks.yaml": bad.ticks])
        let result = try Self.analyze(["canary.yaml", "--ticks", "ticks.yaml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        for error in bad.errors {
            #expect(lines.contains { $0.hasPrefix(error) }, "\(result.stderr)")
        }
    }

    /// A metric that is neither builtin nor has a query or templateRef: Flagger accepts the Canary and fails every
    /// analysed tick with it (spec/flagger.md §3.2, U17), so `analyze` warns and replays exactly that.
    @Test func metricWithoutQueryWarnsAndFailsEveryCheck() throws {
        let canary = """
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata:
              name: podinfo
              namespace: test
            spec:
              provider: nginx
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: podinfo}
              service: {port: 80}
              analysis:
                interval: 1m
                threshold: 2
                maxWeight: 40
                stepWeight: 20
                metrics:
                  - name: apdex
                    thresholdRange: {min: 90}
                    interval: 1m
            """
        let ticks = "ticks:\n  - {}\n  - revision: v2\n  - {}\n  - {}\n  - {}\n  - {}\n"
        let dir = try Self.write(["canary.yaml": canary, "ticks.yaml": ticks])
        let result = try Self.analyze(["canary.yaml", "--ticks", "ticks.yaml"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "canary.yaml:17:9: warning: metric 'apdex' is not a builtin metric and has neither templateRef nor query"
            ),
            "\(result.stderr)"
        )
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 6)
        let failed = "Metric query failed for no usable metrics template and query were configured"
        #expect(lines[2].contains(#""phase":"Progressing","canaryWeight":20"#))
        #expect(lines[3].contains(#""failedChecks":1"#) && lines[3].contains(failed), "\(lines[3])")
        #expect(lines[4].contains(#""canaryWeight":20,"routerWeight":20,"failedChecks":2"#), "\(lines[4])")
        #expect(lines[5].contains(#""phase":"Failed""#), "\(lines[5])")
    }

    @Test func missingFileIsBadInput() throws {
        let dir = try Self.write(["ticks.yaml": "ticks: []\n"])
        let result = try Self.analyze(["nope.yaml", "--ticks", "ticks.yaml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("nope.yaml"))
    }

    @Test func explainAddsAReasonAfterEachTick() throws {
        let dir = try Self.write(["canary.yaml": Self.canary, "ticks.yaml": Self.goldens[1].ticks])
        let result = try Self.analyze(["canary.yaml", "--ticks", "ticks.yaml", "--explain"], in: dir)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 12)
        for (index, line) in lines.enumerated() {
            #expect(line.hasPrefix(index % 2 == 0 ? "{\"tick\":\(index / 2)," : "# tick \(index / 2): "))
        }
        #expect(lines[7].contains("failed checks 1/2"), "\(lines[7])")
        #expect(lines[11].contains("failed checks 2 ≥ threshold 2"), "\(lines[11])")
    }

    @Test func helpExplainsWithAnExample() throws {
        let result = try runCommand(BuiltProducts.executable("rollout-e2e"), ["analyze", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--ticks"))
        #expect(result.stdout.contains("rollout-e2e analyze canary.yaml --ticks ticks.yaml"))
    }
}
