/// Kubernetes' NodePort range split into a static and a dynamic band (KEP-3668, `ServiceNodePortStaticSubrange`,
/// on by default since 1.29): a Service that asks for no port gets one from the upper, dynamic band first, so a
/// fixed `nodePort` in the lower, static band cannot be taken by a Service created earlier (ingress-nginx's, which
/// `up` installs before the registry). kubernetes `pkg/registry/core/service/portallocator/allocator.go`
/// `calculateRangeOffset`: the static band is `min(max(16, size/32), 128)` ports from the range's start.
public enum NodePortBands {
    /// The default `--service-node-port-range` (kind does not change it).
    public static let defaultRange = 30000...32767

    /// The static band of `range`: 30000-30085 for the default range.
    public static func staticBand(of range: ClosedRange<Int> = defaultRange) -> ClosedRange<Int> {
        let size = range.count
        let offset = min(max(16, size / 32), 128)
        return range.lowerBound...(range.lowerBound + offset - 1)
    }
}
