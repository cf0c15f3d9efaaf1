import Foundation
import ObjectModel
import Testing
import YAML

private let podinfoManifests = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: podinfo
      namespace: test
      labels:
        app: podinfo
    spec:
      replicas: 2
      progressDeadlineSeconds: 60
      selector:
        matchLabels:
          app: podinfo
      template:
        metadata:
          labels:
            app: podinfo
        spec:
          containers:
            - name: podinfod
              image: ghcr.io/stefanprodan/podinfo:6.0.0
              command: ["./podinfo", "--port=9898"]
              env:
                - name: PODINFO_UI_COLOR
                  value: "#34577c"
              ports:
                - name: http
                  containerPort: 9898
                  protocol: TCP
              readinessProbe:
                httpGet:
                  path: /readyz
                  port: 9898
              resources:
                limits:
                  cpu: 2000m
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: podinfo
      namespace: test
    spec:
      selector:
        app: podinfo
      ports:
        - name: http
          port: 9898
          targetPort: http
    ---
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: podinfo
      namespace: test
      annotations:
        kubernetes.io/ingress.class: nginx
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
                      number: 9898
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: podinfo
      namespace: test
    spec:
      scaleTargetRef:
        apiVersion: apps/v1
        kind: Deployment
        name: podinfo
      minReplicas: 2
      maxReplicas: 4
    """

struct KubernetesObjectsTests {
    @Test func podinfoManifestsLoadTypedAndClean() throws {
        let loaded = ManifestLoader.load(podinfoManifests, file: "podinfo.yaml")
        #expect(loaded.diagnostics == [])
        #expect(loaded.objects.map(\.kind) == ["Deployment", "Service", "Ingress", "HorizontalPodAutoscaler"])
        let deployment = try #require(loaded.objects.first?.object as? Deployment)
        #expect(deployment.qualifiedName == "test/podinfo")
        #expect(deployment.spec.replicas == 2)
        let container = try #require(deployment.spec.template.spec.containers.first)
        #expect(container.imageTag == "6.0.0")
        #expect(container.env?.first?.value == "#34577c")
        #expect(container.readinessProbe?.httpGet?.path == "/readyz")
        let ingress = try #require(loaded.objects[2].object as? Ingress)
        #expect(ingress.spec.rules?.first?.host == "app.example.com")
        #expect(ingress.spec.rules?.first?.http?.paths.first?.backend.service?.port.number == 9898)
    }

    @Test func typoInContainerIsAnErrorAtTheKeyWithASuggestion() {
        let text = podinfoManifests.replacingOccurrences(of: "      image: ghcr", with: "      imgae: ghcr")
        let loaded = ManifestLoader.load(text, file: "podinfo.yaml")
        let problem = loaded.diagnostics.first { $0.message.contains("imgae") }
        #expect(problem?.mark == Mark(line: 21, column: 11))
        #expect(problem?.message.contains("did you mean 'image'") == true)
    }

    @Test func selectorThatMatchesNoPodsIsReportedAtTheSelector() {
        let text = podinfoManifests.replacingOccurrences(
            of: "      app: podinfo\n  template",
            with: "      app: other\n  template"
        )
        let loaded = ManifestLoader.load(text, file: "d.yaml")
        #expect(
            loaded.diagnostics.map(\.description) == [
                "d.yaml:13:12: error: selector app=other does not match the template's labels; the Deployment would select no pods"
            ]
        )
    }

    @Test func unknownKindsArePreservedNotRejected() throws {
        let text = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata:
              name: podinfo
            spec:
              anything: [1, 2]
            """
        let loaded = ManifestLoader.load(text, file: "sm.yaml")
        #expect(loaded.diagnostics.isEmpty)
        let object = try #require(loaded.objects.first)
        #expect(object.kind == "ServiceMonitor")
        #expect(object.object == nil)
        #expect(object.node.find(["spec", "anything", "1"])?.scalarValue == "2")
    }

    @Test func knownKindWithAnUnservedAPIVersionIsAnError() {
        let text = "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: x\n"
        let loaded = ManifestLoader.load(text, file: "old.yaml")
        #expect(
            loaded.diagnostics.map(\.description) == [
                "old.yaml:1:13: error: Deployment with apiVersion apps/v1beta1 is not supported; use apps/v1"
            ]
        )
    }

    @Test func documentWithoutKindIsAnError() {
        let loaded = ManifestLoader.load("apiVersion: v1\nmetadata:\n  name: x\n", file: "k.yaml")
        #expect(loaded.diagnostics.map(\.description) == ["k.yaml:1:1: error: missing kind"])
    }

    @Test func wrongTypeNamesThePathAndTheLine() {
        let text = podinfoManifests.replacingOccurrences(of: "replicas: 2", with: "replicas: two")
        let loaded = ManifestLoader.load(text, file: "d.yaml")
        let problem = loaded.diagnostics.first
        #expect(problem?.mark == Mark(line: 9, column: 13))
        #expect(problem?.message.contains("spec.replicas") == true)
    }

    @Test(
        arguments: [
            ("ghcr.io/stefanprodan/podinfo:6.0.1", "6.0.1"),
            ("localhost:5000/podinfo:6.1", "6.1"),
            ("localhost:5000/podinfo", nil),
            ("podinfo@sha256:abc", nil),
            ("podinfo:6.0.0@sha256:abc", "6.0.0"),
        ] as [(String, String?)]
    )
    func imageTag(image: String, tag: String?) {
        #expect(Container(name: "c", image: image).imageTag == tag)
    }
}
