import YAML

/// A closed set of words in a scenario (`open`/`close`, hook types…); a wrong word is an error that lists the
/// choices, at the word.
public protocol ScenarioChoice: RawRepresentable, CaseIterable, Decodable, Sendable where RawValue == String {}

extension ScenarioChoice {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: text) else {
            let choices = Self.allCases.map(\.rawValue)
            throw decoder.yamlError("unknown value '\(text)'; expected one of " + choices.joined(separator: ", "))
        }
        self = value
    }
}

extension GateAction.GateType: ScenarioChoice {}
extension GateAction.Action: ScenarioChoice {}
extension FaultAction.Action: ScenarioChoice {}

/// One value or a list of them (`phase: Succeeded` or `phase: [Succeeded, Failed]`).
public struct OneOrMany<Element: Decodable & Sendable & Hashable>: Decodable, Sendable, Hashable {
    public var values: [Element]

    public init(_ values: [Element]) { self.values = values }

    public init(from decoder: any Decoder) throws {
        if case .sequence = decoder.yamlNode {
            values = try [Element](from: decoder)
        } else {
            values = [try Element(from: decoder)]
        }
    }
}
