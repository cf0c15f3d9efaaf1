/// How a podinfo version reads `--cache-server` (spec/podinfo.md §2 and §12): up to 6.1.0 the value is a `host:port`
/// handed to `redis.Dial("tcp", value)` as it is (podinfo's own manifests of those tags say `--cache-server=cache:6379`);
/// since 6.1.1 it is a `tcp://[user:pass@]host:port` URL (`url.Parse`, then its host). Each reading fails every dial
/// on the other's syntax, so Flagger's tags (6.0.x) with a `tcp://` value never reach Redis at all.
public enum CacheServerSyntax: Sendable, Equatable {
    /// podinfo < 6.1.1: `host:port`.
    case hostPort
    /// podinfo ≥ 6.1.1: `tcp://[user:pass@]host:port`.
    case url

    /// The syntax of the podinfo `version` plays (`6.0.1`, `v6.0.1`); a version that is not `major.minor.patch`
    /// (a branch name, `latest`) is read as the newest, 6.14.1.
    public init(version: String) {
        let numbers = version.drop { $0 == "v" }.split(separator: ".", maxSplits: 2).map { part in
            Int(part.prefix { $0.isNumber })
        }
        guard numbers.count == 3, let major = numbers[0], let minor = numbers[1], let patch = numbers[2] else {
            self = .url
            return
        }
        self = (major, minor, patch) < (6, 1, 1) ? .hostPort : .url
    }
}
