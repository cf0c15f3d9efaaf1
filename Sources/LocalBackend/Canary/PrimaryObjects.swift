import CanaryEngine
import ObjectModel
import YAML

/// The objects Flagger derives from a Canary's target (spec/flagger.md §2.5, §5): the `-primary` Deployment with its
/// `-primary` ConfigMap/Secret copies, and the apex/`-primary`/`-canary` Services. The `<ingress>-canary` Ingress is
/// `Ingress.canaryIngress(for:routes:)` (Ingress/Ingress+Canary.swift).
enum PrimaryObjects {
    /// The label Flagger selects pods by: `app`, `name` or `app.kubernetes.io/name`, whichever the target uses.
    static func selectorLabel(of target: Deployment) -> (key: String, value: String) {
        let labels = target.spec.selector.matchLabels ?? [:]
        for key in ["app", "name", "app.kubernetes.io/name"] {
            if let value = labels[key] { return (key, value) }
        }
        return ("app", target.metadata.name)
    }

    /// The ConfigMaps and Secrets the target's containers reference (env, envFrom, volumes), by kind and name.
    static func configReferences(of template: PodTemplateSpec) -> [(kind: String, name: String)] {
        var out: [(String, String)] = []
        for container in template.spec.containers + (template.spec.initContainers ?? []) {
            for variable in container.env ?? [] {
                if let name = variable.valueFrom?.find(["configMapKeyRef", "name"])?.scalarValue {
                    out.append((ConfigMap.kind, name))
                }
                if let name = variable.valueFrom?.find(["secretKeyRef", "name"])?.scalarValue {
                    out.append((Secret.kind, name))
                }
            }
            for source in container.envFrom?.items ?? [] {
                if let name = source.find(["configMapRef", "name"])?.scalarValue { out.append((ConfigMap.kind, name)) }
                if let name = source.find(["secretRef", "name"])?.scalarValue { out.append((Secret.kind, name)) }
            }
        }
        var seen: Set<String> = []
        return out.filter { seen.insert("\($0.0)/\($0.1)").inserted }
    }

    /// The primary Deployment for `target` (a copy of its template with the selector label set to
    /// `<value>-primary` and config references renamed to their `-primary` copies).
    static func primary(of target: Deployment, replicas: Int?) -> Deployment {
        let label = selectorLabel(of: target)
        let primaryValue = "\(label.value)-primary"
        var template = target.spec.template
        var labels = template.metadata?.labels ?? [:]
        labels[label.key] = primaryValue
        if template.metadata == nil { template.metadata = TemplateMeta() }
        template.metadata?.labels = labels
        template = renamingConfigReferences(in: template)
        var spec = DeploymentSpec(
            replicas: replicas,
            selector: LabelSelector(matchLabels: [label.key: primaryValue]),
            template: template
        )
        spec.strategy = target.spec.strategy
        spec.minReadySeconds = target.spec.minReadySeconds
        spec.progressDeadlineSeconds = target.spec.progressDeadlineSeconds
        spec.revisionHistoryLimit = target.spec.revisionHistoryLimit
        var metadataLabels = target.metadata.labels ?? [:]
        metadataLabels[label.key] = primaryValue
        return Deployment(
            metadata: ObjectMeta(
                name: "\(target.metadata.name)-primary",
                namespace: target.metadata.namespace,
                labels: metadataLabels
            ),
            spec: spec
        )
    }

    /// `template` with every ConfigMap/Secret reference renamed to `<name>-primary`.
    static func renamingConfigReferences(in template: PodTemplateSpec) -> PodTemplateSpec {
        var template = template
        func rename(_ containers: [Container]) -> [Container] {
            containers.map { container in
                var container = container
                container.env = container.env?.map { variable in
                    var variable = variable
                    if let from = variable.valueFrom {
                        variable.valueFrom = NodeRewrite.appendingSuffix(
                            "-primary",
                            at: [["configMapKeyRef", "name"], ["secretKeyRef", "name"]],
                            in: from
                        )
                    }
                    return variable
                }
                if let envFrom = container.envFrom {
                    container.envFrom = NodeRewrite.appendingSuffixToItems(
                        "-primary",
                        at: [["configMapRef", "name"], ["secretRef", "name"]],
                        in: envFrom
                    )
                }
                return container
            }
        }
        template.spec.containers = rename(template.spec.containers)
        template.spec.initContainers = template.spec.initContainers.map(rename)
        return template
    }

    /// The Services of Flagger's Kubernetes router: apex and `-primary` select the primary, `-canary` the target.
    static func services(for canary: Canary, target: Deployment) -> [Service] {
        let label = selectorLabel(of: target)
        let apex = canary.serviceName
        let port = canary.spec.service?.port ?? 80
        let targetPort = canary.spec.service?.targetPort ?? .int(port)
        let portName = canary.spec.service?.portName ?? "http"
        func service(_ name: String, selector value: String) -> Service {
            Service(
                metadata: ObjectMeta(name: name, namespace: canary.namespace, labels: [label.key: name]),
                spec: ServiceSpec(
                    selector: [label.key: value],
                    ports: [ServicePort(name: portName, port: port, targetPort: targetPort)]
                )
            )
        }
        return [
            service(apex, selector: "\(label.value)-primary"),
            service("\(apex)-primary", selector: "\(label.value)-primary"),
            service("\(apex)-canary", selector: label.value),
        ]
    }
}
