import Foundation

/// Builds the ordered plans of the kind backend from `kind-config/` (kind-stack.md §10 "Bring-up order").
///
/// The plan is data: `--dry-run` prints it, ``KindBackend`` executes it, and tests check it command by command.
public struct StackPlanner: Sendable {
    public var config: KindConfig
    public var target: ClusterTarget
    /// `<work-dir>/kind`: the GitOps work tree and failure reports live under it.
    public var workDirectory: String
    /// Where the Docker daemon is (Kind targets only): where published ports answer and how kind must publish them.
    public var docker: DockerHost

    public init(config: KindConfig, target: ClusterTarget, workDirectory: String, docker: DockerHost = .local) {
        self.config = config
        self.target = target
        self.workDirectory = workDirectory
        self.docker = docker
    }

    private var versions: StackVersions { config.versions }

    /// The GitOps source the plan publishes.
    public var source: GitOpsSource { source(workTree: workDirectory + "/gitops") }

    /// A GitOps source on this stack's registry (reached as the Docker host says).
    public func source(workTree: String, repository: String = GitOpsSource.defaultRepository) -> GitOpsSource {
        var source = GitOpsSource(workTree: workTree, target: target, repository: repository)
        if case .kind = target {
            source.registryHost = docker.registryHost
            source.insecureRegistry = docker.registryIsInsecure
        }
        return source
    }

    /// `cluster.yaml` rewritten for a remote Docker daemon (``DockerHost/clusterConfig(_:file:)``), nil otherwise.
    /// A file that cannot be read or parsed is passed on as a comment, so that `kind create` fails naming it.
    var remoteClusterConfig: String? {
        guard case .remote = docker else { return nil }
        do {
            let text = try String(contentsOfFile: config.clusterFile, encoding: .utf8)
            return try docker.clusterConfig(text, file: config.clusterFile)
        } catch {
            return "# rollout-e2e could not rewrite \(config.clusterFile) for \(docker): \(error)\n"
        }
    }

    /// The namespace Flagger and its Prometheus are installed in, as in Flagger's nginx tutorial (§6.1).
    public static let flaggerNamespace = "ingress-nginx"
    /// Where the loadtester runs (Flagger's e2e convention, §3.2).
    public static let loadtesterNamespace = "test"
    /// Where podinfo, Redis and the Canary run.
    public static let appsNamespace = "apps"

    // MARK: - up

    /// `rollout-e2e up --backend kind`: reuse or create the cluster, then install the pinned stack.
    public func upPlan() -> [PlanStep] {
        clusterSteps() + ingressSteps() + fluxSteps() + flaggerSteps() + appSteps() + gitOpsSteps()
    }

    private func clusterSteps() -> [PlanStep] {
        guard case .kind(let name) = target else {
            return [
                step(
                    "cluster-info",
                    .preflight,
                    "Check that the cluster of --kubeconfig answers",
                    kubectl(["cluster-info"]),
                    timeout: .seconds(30)
                )
            ]
        }
        let remoteConfig = remoteClusterConfig
        return [
            PlanStep(
                id: "docker-info",
                phase: .preflight,
                title: "Check that Docker's daemon answers (kind needs it, §1.9)",
                action: .run(Command("docker", ["info", "--format", "{{.ServerVersion}}"])),
                timeout: .seconds(30)
            ),
            PlanStep(
                id: "list-clusters",
                phase: .cluster,
                title: "List Kind clusters (an existing '\(name)' is reused)",
                action: .run(Command("kind", ["get", "clusters"])),
                timeout: .seconds(30)
            ),
            PlanStep(
                id: "create-cluster",
                phase: .cluster,
                title: "Create the Kind cluster '\(name)' on Kubernetes \(versions.kubernetesVersion)"
                    + (remoteConfig == nil
                        ? "" : ", its ports on \(docker.publishedHost) (cluster.yaml rewritten, stdin)"),
                action: .run(
                    Command(
                        "kind",
                        ["create", "cluster", "--name", name]
                            + (remoteConfig == nil ? ["--config", config.clusterFile] : ["--config=-"])
                            + [
                                "--image", versions.cluster.nodeImage,
                                // A --wait timeout only prints a warning (§1.5); kube-dns is waited for next.
                                "--wait", "120s",
                                // Keep the nodes of a failed create so `kind export logs` has something (§1.6).
                                "--retain",
                            ],
                        input: remoteConfig
                    )
                ),
                // The first pull of the ~1 GB node image dominates on a cold host (§8.1).
                timeout: .seconds(600),
                skip: PlanStep.Skip(stepID: "list-clusters", line: name, reason: "the cluster already exists"),
                streaming: true,
                manifests: [config.clusterFile]
            ),
        ] + remoteKubeconfigSteps(name) + [
            step(
                "wait-kube-dns",
                .wait,
                "Wait for CoreDNS (kind's own CI does, §1.5)",
                kubectl([
                    "--namespace", "kube-system", "wait", "--for=condition=ready", "pods",
                    "--selector=k8s-app=kube-dns",
                    "--timeout=120s",
                ]),
                timeout: .seconds(150),
                retry: PlanStep.Retry(
                    attempts: 6,
                    delay: .seconds(5),
                    reason: "right after create the pods may not exist yet: 'no matching resources found' (§2.2)"
                )
            )
        ]
    }

    /// With a remote daemon kind writes the kubeconfig's server as `https://0.0.0.0:6443` (the published address);
    /// from here the API server is at the daemon's host, which its certificate names.
    private func remoteKubeconfigSteps(_ name: String) -> [PlanStep] {
        guard case .remote(let host) = docker else { return [] }
        return [
            step(
                "kubeconfig-server",
                .cluster,
                "Point the kubeconfig's kind-\(name) at the API server on \(host)",
                Command(
                    "kubectl",
                    [
                        "config", "set-cluster", "kind-\(name)",
                        "--server=https://\(host):\(DockerHost.remoteAPIServerPort)",
                    ]
                ),
                timeout: .seconds(30)
            )
        ]
    }

    private func ingressSteps() -> [PlanStep] {
        [
            applyStep("namespaces", "Create the namespaces apps, test and gitops"),
            PlanStep(
                id: "install-ingress-nginx",
                phase: .install,
                title: "Install ingress-nginx chart \(versions.ingressNginx.chart) with metrics enabled (§2.1, §2.5)",
                action: .run(
                    helmInstall(
                        release: "ingress-nginx",
                        chart: "ingress-nginx",
                        repository: versions.ingressNginx.chartRepository,
                        version: versions.ingressNginx.chart,
                        namespace: "ingress-nginx",
                        values: "ingress-nginx",
                        timeout: "5m"
                    )
                ),
                timeout: .seconds(360),
                retry: PlanStep.Retry(attempts: 2, delay: .seconds(10), reason: "chart download or image pull hiccups"),
                streaming: true,
                manifests: [config.helmValues("ingress-nginx")]
            ),
            step(
                "wait-ingress-nginx",
                .wait,
                "Wait for the ingress-nginx controller",
                kubectl([
                    "--namespace", "ingress-nginx", "rollout", "status", "deployment/ingress-nginx-controller",
                    "--timeout=180s",
                ]),
                timeout: .seconds(200)
            ),
            PlanStep(
                id: "wait-admission-webhook",
                phase: .wait,
                title: "Wait until the admission webhook accepts an Ingress (server-side dry run, nothing stored)",
                action: .run(
                    kubectl(["apply", "--dry-run=server", "--kustomize", config.manifests("webhook-probe")])
                ),
                timeout: .seconds(30),
                retry: PlanStep.Retry(
                    attempts: 24,
                    delay: .seconds(5),
                    reason: "the webhook certificate can take up to two minutes (§2.2, §9.1)"
                ),
                manifests: [config.manifests("webhook-probe")]
            ),
        ]
    }

    private func fluxSteps() -> [PlanStep] {
        [
            step(
                "flux-check-pre",
                .preflight,
                "Check the cluster meets Flux \(versions.flux.version)'s prerequisites",
                Command("flux", ["check", "--pre"] + target.fluxFlags),
                timeout: .seconds(60)
            ),
            PlanStep(
                id: "install-flux",
                phase: .install,
                title: "Install Flux \(versions.flux.version) (\(versions.flux.components.joined(separator: ", ")))",
                action: .run(
                    Command(
                        "flux",
                        [
                            "install", "--version=\(versions.flux.version)",
                            "--components=\(versions.flux.components.joined(separator: ","))", "--timeout=5m",
                        ] + target.fluxFlags
                    )
                ),
                timeout: .seconds(360),
                streaming: true
            ),
            step(
                "wait-flux",
                .wait,
                "Wait for the Flux controllers",
                kubectl(
                    ["--namespace", "flux-system", "wait", "--for=condition=available"]
                        + versions.flux.components.map { "deployment/\($0)" } + ["--timeout=120s"]
                ),
                timeout: .seconds(150)
            ),
        ]
    }

    private func flaggerSteps() -> [PlanStep] {
        let namespace = Self.flaggerNamespace
        return [
            PlanStep(
                id: "install-flagger",
                phase: .install,
                title: "Install Flagger chart \(versions.flagger.chart) (meshProvider nginx, its Prometheus)",
                action: .run(
                    helmInstall(
                        release: "flagger",
                        chart: "flagger",
                        repository: versions.flagger.chartRepository,
                        version: versions.flagger.chart,
                        namespace: namespace,
                        values: "flagger",
                        timeout: "5m"
                    )
                ),
                timeout: .seconds(360),
                retry: PlanStep.Retry(attempts: 2, delay: .seconds(10), reason: "chart download or image pull hiccups"),
                streaming: true,
                manifests: [config.helmValues("flagger")]
            ),
            step(
                "wait-flagger",
                .wait,
                "Wait for Flagger",
                kubectl(["--namespace", namespace, "rollout", "status", "deployment/flagger", "--timeout=120s"]),
                timeout: .seconds(150)
            ),
            step(
                "wait-flagger-prometheus",
                .wait,
                "Wait for Flagger's Prometheus",
                kubectl([
                    "--namespace", namespace, "rollout", "status", "deployment/flagger-prometheus", "--timeout=120s",
                ]),
                timeout: .seconds(150)
            ),
            PlanStep(
                id: "install-loadtester",
                phase: .install,
                title: "Install the Flagger loadtester chart \(versions.flagger.loadtesterChart)",
                action: .run(
                    helmInstall(
                        release: "flagger-loadtester",
                        chart: "loadtester",
                        repository: versions.flagger.chartRepository,
                        version: versions.flagger.loadtesterChart,
                        namespace: Self.loadtesterNamespace,
                        values: "loadtester",
                        timeout: "3m"
                    )
                ),
                timeout: .seconds(240),
                retry: PlanStep.Retry(attempts: 2, delay: .seconds(10), reason: "chart download or image pull hiccups"),
                streaming: true,
                manifests: [config.helmValues("loadtester")]
            ),
        ]
    }

    private func appSteps() -> [PlanStep] {
        [
            applyStep("redis", "Deploy Redis (podinfo's cache) in apps"),
            step(
                "wait-redis",
                .wait,
                "Wait for Redis",
                kubectl(["--namespace", Self.appsNamespace, "rollout", "status", "deployment/cache", "--timeout=120s"]),
                timeout: .seconds(150)
            ),
            applyStep("registry", "Deploy the OCI registry that serves the GitOps source"),
            step(
                "wait-registry",
                .wait,
                "Wait for the registry",
                kubectl(["--namespace", "gitops", "rollout", "status", "deployment/registry", "--timeout=120s"]),
                timeout: .seconds(150)
            ),
        ]
    }

    private func gitOpsSteps() -> [PlanStep] {
        let source = source
        let push = source.pushCommand(revision: "{{revision}}")
        let pushAction: PlanStep.Action =
            source.portForward.map { .runDuring(push, background: $0) } ?? .run(push)
        return [
            step("gitops-init", .gitops, "Create the GitOps work tree", source.initCommand, timeout: .seconds(30)),
            // On main whatever a scenario left checked out; the seed replaces the whole tree anyway.
            step(
                "gitops-main",
                .gitops,
                "Put the work tree on branch main",
                Command("git", ["-C", source.workTree, "symbolic-ref", "HEAD", "refs/heads/\(GitOpsSource.tag)"]),
                timeout: .seconds(30)
            ),
            PlanStep(
                id: "gitops-seed",
                phase: .gitops,
                title: "Put podinfo, its Ingress and its Canary in the work tree",
                action: .seed(from: config.manifests("podinfo"), to: source.workTree),
                timeout: .seconds(10),
                manifests: [config.manifests("podinfo")]
            ),
            step("gitops-add", .gitops, "Stage the work tree", source.addCommand, timeout: .seconds(30)),
            step(
                "gitops-commit",
                .gitops,
                "Commit",
                source.commitCommand(message: "rollout-e2e up: podinfo \(versions.apps.podinfoImage)"),
                timeout: .seconds(30)
            ),
            PlanStep(
                id: "gitops-revision",
                phase: .gitops,
                title: "Read the commit's revision",
                action: .run(source.revisionCommand),
                timeout: .seconds(30),
                capture: "revision"
            ),
            PlanStep(
                id: "gitops-push",
                phase: .gitops,
                title: "Push the work tree as the OCI artifact \(source.pushURL)",
                action: pushAction,
                timeout: .seconds(60),
                retry: PlanStep.Retry(
                    attempts: 12,
                    delay: .seconds(5),
                    reason: "the registry's port may take a moment to answer"
                )
            ),
            applyStep("flux-source", "Point Flux at the artifact (OCIRepository + Kustomization 'apps')"),
            step(
                "wait-source",
                .wait,
                "Wait until Flux has fetched the artifact",
                source.readyWait(source.ociRepository, timeout: .seconds(120)),
                timeout: .seconds(150)
            ),
            step(
                "wait-kustomization",
                .wait,
                "Wait until Flux has applied it",
                source.readyWait(source.kustomization, timeout: .seconds(180)),
                timeout: .seconds(210)
            ),
            step(
                "wait-canary",
                .wait,
                "Wait until Flagger has initialized canary podinfo (§3.4: 50 x 5 s upstream)",
                kubectl([
                    "--namespace", Self.appsNamespace, "wait", "canary/podinfo",
                    "--for=jsonpath={.status.phase}=Initialized", "--timeout=300s",
                ]),
                timeout: .seconds(330),
                retry: PlanStep.Retry(
                    attempts: 3,
                    delay: .seconds(5),
                    reason: "the Canary may not exist yet right after the apply"
                )
            ),
        ]
    }

    // MARK: - down

    /// `rollout-e2e down --backend kind [--keep]`: delete the Kind cluster, or with `--keep` (and always with
    /// `--kubeconfig`, whose cluster is the user's) remove only what scenarios deployed: deleting the Flux
    /// Kustomization prunes podinfo and its Canary.
    public func downPlan(keep: Bool) -> [PlanStep] {
        if case .kind(let name) = target, !keep {
            return [
                step(
                    "delete-cluster",
                    .teardown,
                    "Delete the Kind cluster '\(name)' (no error when absent, §1.6)",
                    Command("kind", ["delete", "cluster", "--name", name]),
                    timeout: .seconds(180)
                )
            ]
        }
        return [
            PlanStep(
                id: "delete-flux-source",
                phase: .teardown,
                title: "Delete the Flux source and Kustomization (Flux prunes what they deployed)",
                action: .run(
                    kubectl([
                        "delete", "--kustomize", config.manifests("flux-source"), "--ignore-not-found", "--wait=true",
                        "--timeout=120s",
                    ])
                ),
                timeout: .seconds(150),
                manifests: [config.manifests("flux-source")]
            )
        ]
    }

    // MARK: - helpers

    /// `kubectl` aimed at the target cluster.
    public func kubectl(_ arguments: [String], input: String? = nil) -> Command {
        Command("kubectl", target.kubectlFlags + arguments, input: input)
    }

    private func helmInstall(
        release: String,
        chart: String,
        repository: String,
        version: String,
        namespace: String,
        values: String,
        timeout: String
    ) -> Command {
        Command(
            "helm",
            [
                "upgrade", "--install", release, chart, "--repo", repository, "--version", version,
                "--namespace", namespace, "--create-namespace", "--values", config.helmValues(values),
                "--wait", "--timeout", timeout,
            ] + target.helmFlags
        )
    }

    private func applyStep(_ directory: String, _ title: String) -> PlanStep {
        PlanStep(
            id: "apply-\(directory)",
            phase: .manifests,
            title: title,
            // Scenario content may declare the same objects (the namespaces test and apps): Flux would take over
            // fields kubectl's default manager set and drop what its manifest lacks (``FluxFieldOwnershipRule``).
            action: .run(kubectl(["apply", FieldManagers.keptByFluxFlag, "--kustomize", config.manifests(directory)])),
            timeout: .seconds(60),
            manifests: [config.manifests(directory)]
        )
    }

    private func step(
        _ id: String,
        _ phase: PlanStep.Phase,
        _ title: String,
        _ command: Command,
        timeout: Duration,
        retry: PlanStep.Retry? = nil
    ) -> PlanStep {
        PlanStep(id: id, phase: phase, title: title, action: .run(command), timeout: timeout, retry: retry)
    }
}
