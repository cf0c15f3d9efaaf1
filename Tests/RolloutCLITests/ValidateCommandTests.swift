import Foundation
import TestSupport
import Testing

/// `rollout-e2e validate`, run as the user runs it: the built binary on files in a temporary directory.
struct ValidateCommandTests {
    private func write(_ files: [String: String]) throws -> String {
        try temporaryDirectory(prefix: "validate", files: files)
    }

    private func validate(_ arguments: [String], in dir: String) throws -> CommandResult {
        try runCommand(BuiltProducts.executable("rollout-e2e"), ["validate"] + arguments, workingDirectory: dir)
    }

    @Test func brokenIndentationPointsAtTheLine() throws {
        let dir = try write([
            "bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   namespace: y\ndata: {}\n"
        ])
        let result = try validate(["bad.yaml"], in: dir)
        #expect(result.status == 2)
        let first = try #require(result.stderr.split(separator: "\n").first)
        #expect(first.hasPrefix("bad.yaml:5:"))
        #expect(first.contains(": error: "))
    }

    @Test func cleanFilesExitZeroWithASummary() throws {
        let dir = try write([
            "ns.yaml":
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: test\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n"
        ])
        let result = try validate(["ns.yaml"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.contains("1 file(s), 2 object(s): 0 error(s)"))
        #expect(result.stderr.isEmpty)
    }

    @Test func everyProblemIsPrintedInSourceOrder() throws {
        let dir = try write([
            "d.yaml": """
            apiVersion: v1
            kind: Service
            metadata:
              name: podinfo
              nmespace: test
            spec:
              selector: {app: podinfo}
              ports:
                - port: 0
            """
        ])
        let result = try validate(["d.yaml"], in: dir)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("d.yaml:5:3: error: ") && lines[0].contains("nmespace"))
        #expect(lines[0].contains("did you mean 'namespace'"))
        #expect(lines[1] == "d.yaml:9:13: error: port 0 is outside 1-65535")
        #expect(lines[2].contains("2 error(s)"))
    }

    @Test func directoriesAreSearchedForYAMLFiles() throws {
        let dir = try write([
            "m/a.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n",
            "m/sub/b.yml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n",
            "m/notes.txt": "not yaml",
        ])
        let result = try validate(["m"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.contains("2 file(s), 2 object(s)"))
    }

    @Test func missingFileIsAUsageErrorWithExitTwo() throws {
        let dir = try write([:])
        let result = try validate(["nope.yaml"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("nope.yaml: no such file or directory"))
    }

    @Test func helpExplainsWithAnExample() throws {
        let result = try runCommand(BuiltProducts.executable("rollout-e2e"), ["validate", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example:"))
        #expect(result.stdout.contains("file:line:col"))
    }
}

/// The acceptance for Canaries: Flagger's documented NGINX canary validates clean; `stepWeight: 0` and a
/// typo'd key are reported at their lines.
struct ValidateCanaryTests {
    static let flaggerDocsCanary = """
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
          autoscalerRef:
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            name: podinfo
          progressDeadlineSeconds: 60
          service:
            port: 80
            targetPort: 9898
          analysis:
            interval: 10s
            threshold: 10
            maxWeight: 50
            stepWeight: 5
            metrics:
            - name: request-success-rate
              thresholdRange:
                min: 99
              interval: 1m
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

    private func validate(_ text: String) throws -> CommandResult {
        let dir = try temporaryDirectory(prefix: "validate-canary", files: ["canary.yaml": text])
        return try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            ["validate", "canary.yaml"],
            workingDirectory: dir
        )
    }

    @Test func flaggerDocsCanaryIsClean() throws {
        let result = try validate(Self.flaggerDocsCanary)
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }

    @Test func zeroStepWeightAndTypoAreReportedAtTheirLines() throws {
        let text = Self.flaggerDocsCanary
            .replacingOccurrences(of: "stepWeight: 5", with: "stepWeight: 0")
            .replacingOccurrences(of: "threshold: 10", with: "treshold: 10")
        let result = try validate(text)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        // The typo (line 26) and the zero step (line 28); the CRD also requires threshold, so that is reported too.
        #expect(lines.count == 4)
        #expect(lines.contains { $0.hasPrefix("canary.yaml:25:5: error: ") && $0.contains("threshold is required") })
        #expect(
            lines.contains {
                $0.hasPrefix("canary.yaml:26:5: error: ") && $0.contains("treshold")
                    && $0.contains("did you mean 'threshold'")
            }
        )
        #expect(lines.contains { $0.hasPrefix("canary.yaml:28:17: error: ") && $0.contains("stepWeight") })
    }
}
