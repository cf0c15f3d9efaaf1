/// The app `rollout-e2e up` seeds the harness's git repository with when no scenario content is given: podinfo
/// behind an Ingress on app.example.com with a Canary, as in Flagger's NGINX tutorial, plus the loadtester.
public enum DefaultApp {
    /// The podinfo version in the manifests (the image tag).
    public static let version = "6.0.0"
    public static let host = "app.example.com"

    /// Files of the repository (path → content): `apps/podinfo/…` with a kustomization.yaml.
    public static let files: [String: String] = [
        "apps/podinfo/kustomization.yaml": """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - namespace.yaml
          - deployment.yaml
          - service.yaml
          - ingress.yaml
          - canary.yaml
          - loadtester.yaml

        """,
        "apps/podinfo/namespace.yaml": """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: test

        """,
        "apps/podinfo/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: podinfo
          namespace: test
          labels:
            app: podinfo
        spec:
          replicas: 2
          minReadySeconds: 0
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
                  image: ghcr.io/stefanprodan/podinfo:\(version)
                  command:
                    - ./podinfo
                    - --port=9898
                    - --port-metrics=9797
                    - --level=info
                  ports:
                    - name: http
                      containerPort: 9898
                  readinessProbe:
                    httpGet:
                      path: /readyz
                      port: 9898
                  env:
                    - name: PODINFO_UI_COLOR
                      value: "#34577c"

        """,
        "apps/podinfo/service.yaml": """
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

        """,
        "apps/podinfo/ingress.yaml": """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: podinfo
          namespace: test
        spec:
          ingressClassName: nginx
          rules:
            - host: \(host)
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: podinfo
                        port:
                          number: 9898

        """,
        "apps/podinfo/canary.yaml": """
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
            port: 9898
            targetPort: 9898
          analysis:
            interval: 10s
            threshold: 5
            maxWeight: 50
            stepWeight: 10
            metrics:
              - name: request-success-rate
                thresholdRange:
                  min: 99
                interval: 1m
              - name: request-duration
                thresholdRange:
                  max: 500
                interval: 1m
            webhooks:
              - name: load-test
                url: http://flagger-loadtester.test/
                timeout: 5s
                metadata:
                  cmd: "hey -z 1m -q 10 -c 2 http://app.example.com/"

        """,
        "apps/podinfo/loadtester.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: flagger-loadtester
          namespace: test
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: flagger-loadtester
          template:
            metadata:
              labels:
                app: flagger-loadtester
            spec:
              containers:
                - name: loadtester
                  image: ghcr.io/fluxcd/flagger-loadtester:0.38.0
                  ports:
                    - name: http
                      containerPort: 8080
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: flagger-loadtester
          namespace: test
        spec:
          selector:
            app: flagger-loadtester
          ports:
            - name: http
              port: 80
              targetPort: http

        """,
    ]

    /// The Flux objects that point the GitOps controller at the harness repository.
    public static func fluxObjects(repositoryURL: String, branch: String = "main", path: String = "./apps/podinfo")
        -> String
    {
        """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: app
          namespace: flux-system
        spec:
          url: file://\(repositoryURL)
          interval: 1m
          ref:
            branch: \(branch)
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: app
          namespace: flux-system
        spec:
          sourceRef:
            kind: GitRepository
            name: app
          path: \(path)
          interval: 1m
          prune: true

        """
    }
}
