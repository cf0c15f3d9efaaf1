/// Kubernetes' NodePort range split into a static and a dynamic band (KEP-3668, `ServiceNodePortStaticSubrange`,
/// GA in 1.29, always on since): a Service that asks for no port gets one from the upper, dynamic band first, so a
/// fixed `nodePort` in the lower, static band cannot be taken by a Service created earlier (ingress-nginx's, which
/// `up` installs before the registry). kubernetes `pkg/registry/core/service/portallocator/allocator.go`
/// `calculateRangeOffset` (lines 259-284 of the stored copy; the 1.35.1 file was not available): the static band is
/// `min(max(16, size/32), 128)` ports from the range's start, `size = 1 + high - low` (apimachinery v0.35.1
/// `util/net/port_range.go:122`).
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
