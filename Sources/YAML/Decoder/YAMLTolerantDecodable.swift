/// A type whose YAML may carry keys it does not read: `YAMLDecoder` does not report unknown keys at or below
/// a value of this type, even when rejecting unknown keys elsewhere.
///
/// Use it for pass-through objects (for example a Kubernetes object applied as written). A `Node` field
/// tolerates anything below it without this protocol.
public protocol YAMLTolerantDecodable: Decodable {}
