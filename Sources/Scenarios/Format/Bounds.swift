import ObjectModel
import YAML

/// An integer bound: a bare number means "at most" (`maxFailedChecks: 0`); a mapping gives `atLeast`, `atMost`
/// or `exactly`.
public struct IntBound: Decodable, Sendable, Hashable, CustomStringConvertible {
    public var atLeast: Int?
    public var atMost: Int?

    public init(atLeast: Int? = nil, atMost: Int? = nil) {
        self.atLeast = atLeast
        self.atMost = atMost
    }

    private enum CodingKeys: String, CodingKey {
        case atLeast, atMost, exactly
    }

    public init(from decoder: any Decoder) throws {
        if case .mapping = decoder.yamlNode {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let exactly = try container.decodeIfPresent(Int.self, forKey: .exactly) {
                atLeast = exactly
                atMost = exactly
            } else {
                atLeast = try container.decodeIfPresent(Int.self, forKey: .atLeast)
                atMost = try container.decodeIfPresent(Int.self, forKey: .atMost)
            }
            guard atLeast != nil || atMost != nil else { throw decoder.yamlError("give atLeast, atMost or exactly") }
        } else {
            atLeast = nil
            atMost = try Int(from: decoder)
        }
    }

    public func contains(_ value: Int) -> Bool {
        (atLeast.map { value >= $0 } ?? true) && (atMost.map { value <= $0 } ?? true)
    }

    public var description: String {
        switch (atLeast, atMost) {
        case (let low?, let high?) where low == high: "exactly \(low)"
        case (let low?, let high?): "between \(low) and \(high)"
        case (let low?, nil): "at least \(low)"
        case (nil, let high?): "at most \(high)"
        case (nil, nil): "anything"
        }
    }
}

/// A duration bound in scenario time: `{atMost: 10m}`, `{atLeast: 1m, atMost: 10m}`; a bare duration means at most.
public struct DurationBound: Decodable, Sendable, Hashable, CustomStringConvertible {
    public var atLeast: ManifestDuration?
    public var atMost: ManifestDuration?

    public init(atLeast: ManifestDuration? = nil, atMost: ManifestDuration? = nil) {
        self.atLeast = atLeast
        self.atMost = atMost
    }

    private enum CodingKeys: String, CodingKey {
        case atLeast, atMost
    }

    public init(from decoder: any Decoder) throws {
        if case .mapping = decoder.yamlNode {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            atLeast = try container.decodeIfPresent(ManifestDuration.self, forKey: .atLeast)
            atMost = try container.decodeIfPresent(ManifestDuration.self, forKey: .atMost)
            guard atLeast != nil || atMost != nil else { throw decoder.yamlError("give atLeast or atMost") }
        } else {
            atLeast = nil
            atMost = try ManifestDuration(from: decoder)
        }
    }

    public func contains(seconds: Double) -> Bool {
        (atLeast.map { seconds >= $0.seconds } ?? true) && (atMost.map { seconds <= $0.seconds } ?? true)
    }

    public var description: String {
        switch (atLeast, atMost) {
        case (let low?, let high?): "between \(low) and \(high)"
        case (let low?, nil): "at least \(low)"
        case (nil, let high?): "at most \(high)"
        case (nil, nil): "any time"
        }
    }
}
