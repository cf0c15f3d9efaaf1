import Foundation
import ObjectModel
import Scenarios
import YAML

/// Scenario files in a temporary directory, next to a small Git content directory.
enum Fixtures {
    /// A Git content directory with a podinfo Deployment, an Ingress (host app.example.com) and a Canary podinfo.
    static let gitContent: [String: String] = [
        "gitops/apps/podinfo/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: podinfo
        spec:
          selector:
            matchLabels:
              app: podinfo
          template:
            metadata:
              labels:
                app: podinfo
            spec:
              containers:
                - name: podinfo
                  image: ghcr.io/stefanprodan/podinfo:6.0.0
                  env:
                    - name: PODINFO_UI_COLOR
                      value: "#34577c"
        """,
        "gitops/apps/podinfo/ingress.yaml": """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: podinfo
        spec:
          ingressClassName: nginx
          rules:
            - host: app.example.com
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: podinfo
                        port:
                          number: 80
        """,
        "gitops/apps/podinfo/canary.yaml": """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
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
          analysis:
            interval: 1m
            threshold: 5
            maxWeight: 50
            stepWeight: 10
        """,
    ]

    /// Writes `files` (path → text) into a fresh temporary directory and returns it.
    static func directory(_ files: [String: String]) throws -> String {
        let dir = NSTemporaryDirectory() + "scenarios-\(UUID().uuidString)"
        for (name, text) in files {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    /// A scenario document around `steps` (YAML text indented by 4 under `steps:`).
    static func scenario(name: String = "promote", steps: String, extra: String = "") -> String {
        """
        apiVersion: rollout-e2e/v1
        kind: Scenario
        metadata:
          name: \(name)
          description: Release 6.0.1 by a Git commit.
        spec:
          namespace: test
          git:
            content: gitops
            branches: [main]
          timeout: 10h
          steps:
        \(steps)
        \(extra)
        """
    }

    /// Loads a scenario text written into a directory with the Git content; returns the result of validation.
    static func load(_ text: String, file: String = "s.yaml") throws -> (
        scenario: LoadedScenario?, diagnostics: [Diagnostic]
    ) {
        let dir = try directory(gitContent.merging([file: text]) { $1 })
        return ScenarioLoader.load(path: dir + "/" + file)
    }

    /// The loaded scenario, failing with the diagnostics when it does not validate.
    static func loaded(_ text: String, file: String = "s.yaml") throws -> LoadedScenario {
        let (scenario, diagnostics) = try load(text, file: file)
        guard let scenario else { throw FixtureError(diagnostics.map(\.description).joined(separator: "\n")) }
        return scenario
    }

    /// A canary timeline from `(t, phase, weight, failedChecks)` tuples; routerWeight = canaryWeight.
    static func timeline(_ entries: [(Double, String, Int, Int)]) -> [CanaryObservation] {
        entries.map {
            CanaryObservation(
                t: $0.0,
                phase: $0.1,
                canaryWeight: $0.2,
                routerWeight: $0.2,
                failedChecks: $0.3,
                iterations: 0
            )
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
