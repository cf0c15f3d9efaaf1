import Foundation
import ObjectModel
import Testing
import YAML

/// Flagger's Canary, MetricTemplate and AlertProvider: decoding, defaults (spec/flagger.md §1) and CRD validation
/// with diagnostics at the offending line and column.
struct FlaggerObjectsTests {
    /// The NGINX tutorial Canary from Flagger's docs (docs/gitbook/tutorials/nginx-progressive-delivery.md).
    static let docsCanary = """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: test
        spec:
          provider: nginx
          # deployment reference
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          # ingress reference
          ingressRef:
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            name: podinfo
          # HPA reference (optional)
          autoscalerRef:
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            name: podinfo
          # the maximum time in seconds for the canary deployment
          # to make progress before it is rollback (default 600s)
          progressDeadlineSeconds: 60
          service:
            # ClusterIP port number
            port: 80
            # container port number or name
            targetPort: 9898
          analysis:
            # schedule interval (default 60s)
            interval: 10s
            # max number of failed metric checks before rollback
            threshold: 10
            # max traffic percentage routed to canary
            # percentage (0-100)
            maxWeight: 50
            # canary increment step
            # percentage (0-100)
            stepWeight: 5
            # NGINX Prometheus checks
            metrics:
            - name: request-success-rate
              # minimum req success rate (non 5xx responses)
              # percentage (0-100)
              thresholdRange:
                min: 99
              interval: 1m
            # testing (optional)
            webhooks:
              - name: acceptance-test
                type: pre-rollout
                url: http://flagger-loadtester.test/
                timeout: 30s
                metadata:
                  type: bash
                  cmd: "curl -sd 'test' http://podinfo-canary/token | grep token"
              - name: load-test
                url: http://flagger-loadtester.test/
                timeout: 5s
                metadata:
                  cmd: "hey -z 1m -q 10 -c 2 http://app.example.com/"
        """

    /// The docs' A/B testing analysis (header and cookie match).
    static let docsABCanary = """
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
          service:
            port: 80
            targetPort: 9898
          analysis:
            interval: 1m
            threshold: 10
            iterations: 10
            match:
              # curl -H 'X-Canary: insider' http://app.example.com
              - headers:
                  x-canary:
                    exact: "insider"
              # curl -b 'canary=always' http://app.example.com
              - headers:
                  cookie:
                    exact: "canary"
            metrics:
            - name: request-success-rate
              thresholdRange:
                min: 99
              interval: 1m
            - name: request-duration
              thresholdRange:
                max: 500
              interval: 1m
        """

    static func load(_ text: String) -> LoadedManifests {
        ManifestLoader.load(text, file: "canary.yaml")
    }

    /// The 1-based line and column where `needle` starts in `text` (the `occurrence`-th match).
    static func position(of needle: String, in text: String, occurrence: Int = 1) -> (line: Int, column: Int)? {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let range = line.range(of: needle) else { continue }
            seen += 1
            if seen == occurrence { return (index + 1, line.distance(from: line.startIndex, to: range.lowerBound) + 1) }
        }
        return nil
    }

    @Test(arguments: [docsCanary, docsABCanary])
    func docsCanariesValidateClean(_ text: String) throws {
        let loaded = Self.load(text)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let canary = try #require(loaded.objects.first?.object as? Canary)
        #expect(canary.name == "podinfo")
        #expect(canary.namespace == "test")
    }

    @Test func docsCanaryGetsFlaggerDefaults() throws {
        let canary = try #require(Self.load(Self.docsCanary).objects.first?.object as? Canary)
        let analysis = try #require(canary.effectiveAnalysis)
        #expect(canary.analysisThreshold == 10)
        #expect(canary.analysisIntervalSeconds == 10)
        #expect(canary.progressDeadlineSeconds == 60)
        #expect(analysis.effectiveMaxWeight == 50)
        #expect(analysis.strategy == .canary)
        #expect(analysis.webhooks?.map(\.hookType) == [.preRollout, .rollout])
        #expect(analysis.webhooks?.map(\.timeoutSeconds) == [30, 5])
        #expect(canary.ingressName == "podinfo")
        #expect(canary.serviceName == "podinfo")
        #expect(!canary.skipsAnalysis)
        let ab = try #require(Self.load(Self.docsABCanary).objects.first?.object as? Canary)
        #expect(ab.effectiveAnalysis?.strategy == .abTesting)
        #expect(ab.effectiveAnalysis?.match?.first?.headers?["x-canary"]?.exact == "insider")
    }

    struct DefaultCase: Sendable, CustomTestStringConvertible {
        var analysis: CanaryAnalysis
        var interval: Double
        var threshold: Int
        var maxWeight: Int
        var testDescription: String

        init(_ description: String, _ analysis: CanaryAnalysis, interval: Double, threshold: Int, maxWeight: Int) {
            self.analysis = analysis
            self.interval = interval
            self.threshold = threshold
            self.maxWeight = maxWeight
            testDescription = description
        }
    }

    static let defaultCases: [DefaultCase] = [
        DefaultCase(
            "no interval → 60s",
            .init(interval: nil, threshold: nil),
            interval: 60,
            threshold: 1,
            maxWeight: 100
        ),
        DefaultCase(
            "5s clamps to 10s",
            .init(interval: "5s", threshold: 0),
            interval: 10,
            threshold: 1,
            maxWeight: 100
        ),
        DefaultCase(
            "unparsable → 60s",
            .init(interval: "soon", threshold: -3),
            interval: 60,
            threshold: 1,
            maxWeight: 100
        ),
        DefaultCase(
            "1m30s",
            .init(interval: "1m30s", threshold: 4, maxWeight: 40),
            interval: 90,
            threshold: 4,
            maxWeight: 40
        ),
        DefaultCase(
            "stepWeights decide maxWeight",
            .init(interval: "1m", threshold: 2, maxWeight: 30, stepWeights: [5, 10, 80]),
            interval: 60,
            threshold: 2,
            maxWeight: 80
        ),
        DefaultCase(
            "stepWeights beyond 100 cap at 100",
            .init(interval: "1m", threshold: 2, stepWeights: [10, 200]),
            interval: 60,
            threshold: 2,
            maxWeight: 100
        ),
    ]

    @Test(arguments: defaultCases)
    func analysisDefaults(_ testCase: DefaultCase) {
        #expect(testCase.analysis.analysisIntervalSeconds == testCase.interval)
        #expect(testCase.analysis.analysisThreshold == testCase.threshold)
        #expect(testCase.analysis.effectiveMaxWeight == testCase.maxWeight)
    }

    @Test(arguments: [
        ([1, 2, 10, 80], [0: 1, 1: 1, 2: 8, 10: 70, 80: 20, 100: 1, 50: 50]),
        ([1, 2, 10, 200], [10: 90, 0: 1]),
        ([30], [0: 30, 30: 70]),
    ])
    func nextStepWeightFollowsStepWeights(_ steps: [Int], _ expected: [Int: Int]) {
        let analysis = CanaryAnalysis(interval: "1m", threshold: 1, stepWeights: steps)
        for (weight, step) in expected {
            #expect(analysis.nextStepWeight(from: weight) == step, "from \(weight)")
        }
    }

    @Test func specDefaultsWithoutAnalysisSkipTheAnalysis() {
        let canary = Canary(
            metadata: ObjectMeta(name: "podinfo"),
            spec: CanarySpec(targetRef: CanaryTargetReference(kind: "Deployment", name: "podinfo"))
        )
        #expect(canary.skipsAnalysis)
        #expect(canary.progressDeadlineSeconds == 600)
        #expect(canary.provider == "nginx")
        #expect(canary.namespace == "default")
        #expect(CanaryWebhook(name: "x", type: .rollout, url: "http://x").timeoutSeconds == 10)
        var untyped = CanaryWebhook(name: "x", url: "http://x")
        untyped.type = ""
        #expect(untyped.hookType == .rollout)
        untyped.type = "pre-rolout"
        #expect(untyped.hookType == nil)
        #expect(CanaryMetric(name: "latency", interval: nil, templateRef: .init(name: "t")).effectiveInterval == "")
        #expect(CanaryMetric(name: "request-duration", interval: nil).effectiveInterval == "1m")
    }

    @Test func stepWeightZeroAndATypoAreBothReportedAtTheirPlaces() throws {
        let text = Self.docsCanary
            .replacingFirstOccurrence("stepWeight: 5", with: "stepWeight: 0")
            .replacingFirstOccurrence("maxWeight: 50", with: "maxWieght: 50")
        let loaded = Self.load(text)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        let stepValue = try #require(Self.position(of: "stepWeight: 0", in: text))
        let typo = try #require(Self.position(of: "maxWieght", in: text))
        let stepError = try #require(errors.first { $0.message.contains("stepWeight") })
        #expect(stepError.mark.line == stepValue.line)
        #expect(stepError.mark.column == stepValue.column + "stepWeight: ".count)
        #expect(stepError.description.hasPrefix("canary.yaml:\(stepValue.line):"))
        let typoError = try #require(errors.first { $0.message.contains("maxWieght") })
        #expect(typoError.mark.line == typo.line)
        #expect(typoError.mark.column == typo.column)
        #expect(typoError.message.contains("maxWeight"), "suggests the right key: \(typoError.message)")
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// (original, replacement) applied to the docs canary.
        var edit: (String, String)
        /// Text the error message contains.
        var message: String
        /// Text at whose line the error points (first match in the edited manifest).
        var at: String
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(
            testDescription: "two of iterations/stepWeight/stepWeights",
            edit: ("maxWeight: 50", "iterations: 10"),
            message: "only one of iterations, stepWeight and stepWeights",
            at: "stepWeight: 5"
        ),
        InvalidCase(
            testDescription: "interval pattern",
            edit: ("interval: 10s", "interval: 10"),
            message: "interval '10'",
            at: "interval: 10"
        ),
        InvalidCase(
            testDescription: "thresholdRange min above max",
            edit: ("min: 99", "min: 99\n        max: 90"),
            message: "thresholdRange min 99.0 is above max 90.0",
            at: "min: 99"
        ),
        InvalidCase(
            testDescription: "unknown webhook type",
            edit: ("type: pre-rollout", "type: pre-rolout"),
            message: "unknown webhook type 'pre-rolout'",
            at: "type: pre-rolout"
        ),
        InvalidCase(
            testDescription: "nginx needs ingressRef",
            edit: ("  ingressRef:\n    apiVersion: networking.k8s.io/v1\n    kind: Ingress\n    name: podinfo\n", ""),
            message: "needs spec.ingressRef",
            at: "provider: nginx"
        ),
        InvalidCase(
            testDescription: "targetRef kind",
            edit: ("kind: Deployment", "kind: StatefulSet"),
            message: "targetRef.kind must be Deployment, DaemonSet or Service",
            at: "kind: StatefulSet"
        ),
        InvalidCase(
            testDescription: "unknown provider",
            edit: ("provider: nginx", "provider: nginix"),
            message: "unknown provider 'nginix'",
            at: "provider: nginix"
        ),
        InvalidCase(
            testDescription: "header match with two matchers",
            edit: (
                "    maxWeight: 50\n",
                "    maxWeight: 50\n    match:\n      - headers:\n          x-canary: {exact: a, regex: b}\n"
            ),
            message: "header x-canary needs exactly one of exact, prefix, suffix and regex",
            at: "x-canary: {exact: a"
        ),
        InvalidCase(
            testDescription: "no step at all",
            edit: ("stepWeight: 5", "stepWeightPromotion: 5"),
            message: "needs one of iterations, stepWeight or stepWeights",
            at: "interval: 10s"
        ),
    ]

    @Test(arguments: invalidCases)
    func crdViolationsAreErrorsAtTheField(_ testCase: InvalidCase) throws {
        let text = Self.docsCanary.replacingFirstOccurrence(testCase.edit.0, with: testCase.edit.1)
        #expect(text != Self.docsCanary)
        let errors = Self.load(text).diagnostics.filter { $0.severity == .error }
        let error = try #require(errors.first { $0.message.contains(testCase.message) }, "\(errors)")
        let line = try #require(Self.position(of: testCase.at, in: text)).line
        #expect(error.mark.line == line, "\(error)")
    }

    @Test func quirkSettingsAreWarnings() throws {
        let text = Self.docsABCanary
            .replacingFirstOccurrence(
                "    iterations: 10\n",
                with:
                    "    iterations: 10\n    mirror: true\n    alerts:\n      - name: on-call\n        providerRef: {name: slack}\n"
            )
        let loaded = Self.load(text)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
        let warnings = loaded.diagnostics.filter { $0.severity == .warning }.map(\.message)
        #expect(warnings.contains { $0.contains("never fires") })
        #expect(warnings.contains { $0.contains("cannot mirror") })
    }

    @Test func metricTemplateAndAlertProviderDecodeAndValidate() throws {
        let text = """
            apiVersion: flagger.app/v1beta1
            kind: MetricTemplate
            metadata:
              name: latency
              namespace: ingress-nginx
            spec:
              provider:
                type: prometheus
                address: http://flagger-prometheus.ingress-nginx:9090
              query: |
                histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{kubernetes_namespace="{{ namespace }}"}[{{ interval }}])) by (le))
            ---
            apiVersion: flagger.app/v1beta1
            kind: AlertProvider
            metadata:
              name: on-call
              namespace: test
            spec:
              type: slack
              channel: on-call-alerts
              username: flagger
              secretRef:
                name: on-call-url
            ---
            apiVersion: flagger.app/v1beta1
            kind: AlertProvider
            metadata:
              name: broken
            spec:
              type: pager
            """
        let loaded = Self.load(text)
        #expect(loaded.objects.count == 3)
        let template = try #require(loaded.objects[0].object as? MetricTemplate)
        #expect(template.spec.provider.type == "prometheus")
        #expect(template.spec.query.contains("{{ interval }}"))
        let provider = try #require(loaded.objects[1].object as? AlertProvider)
        #expect(provider.spec.effectiveChannel == "on-call-alerts")
        #expect(provider.spec.effectiveUsername == "flagger")
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        let line = try #require(Self.position(of: "type: pager", in: text)).line
        #expect(errors.contains { $0.message.contains("unknown alert provider type 'pager'") && $0.mark.line == line })
        #expect(errors.contains { $0.message.contains("exactly one of address and secretRef") })
        #expect(errors.count == 2, "\(errors)")
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced.
    func replacingFirstOccurrence(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
