/// How to bring the local stack up.
public struct LocalStackOptions: Sendable {
    /// What the harness's git repository starts with.
    public enum Seed: Sendable {
        /// ``DefaultApp``: podinfo, its Service, Ingress and Canary, and the loadtester.
        case defaultApp
        /// Every file under a directory (e.g. a scenario's `gitops/`), committed as is.
        case directory(String)
        /// These files (path → content).
        case files([String: String])
        /// No repository content and no Flux objects; the caller applies what it needs.
        case none
    }

    public var workDirectory: String
    public var timeScale: Double
    /// The `podinfo` executable; nil looks next to the running executable (then beside the test bundle).
    public var podinfoPath: String?
    public var seed: Seed
    /// The Kustomization path inside the repository.
    public var kustomizationPath: String
    /// Wait for every Deployment to be available before returning.
    public var waitForDeployments: Bool
    /// Branches of the harness repository, all at the seed commit; the first is the default.
    public var branches: [String] = ["main", "staging"]
    /// Apply a GitRepository and Kustomization (`flux-system/app`) following the default branch at
    /// ``kustomizationPath``; off when the caller applies its own Flux objects.
    public var applyFluxObjects = true

    public init(
        workDirectory: String = ".rollout-e2e",
        timeScale: Double = 1,
        podinfoPath: String? = nil,
        seed: Seed = .defaultApp,
        kustomizationPath: String = "./apps/podinfo",
        waitForDeployments: Bool = true
    ) {
        self.workDirectory = workDirectory
        self.timeScale = timeScale
        self.podinfoPath = podinfoPath
        self.seed = seed
        self.kustomizationPath = kustomizationPath
        self.waitForDeployments = waitForDeployments
    }
}
