import Crypto
import Foundation

/// The HS256 JSON Web Tokens of podinfo's `/token` routes, with golang-jwt v4.5.2's validation order and messages.
public enum JWT {
    /// The claims podinfo reads back.
    public struct Claims: Sendable, Equatable {
        public var name: String
        public var issuer: String
        public var expiresAt: Int?

        public init(name: String, issuer: String, expiresAt: Int?) {
            self.name = name
            self.issuer = issuer
            self.expiresAt = expiresAt
        }
    }

    /// A validation failure with golang-jwt's wording (`signature is invalid`, `token is expired by 1m2s`, …).
    public struct ValidationError: Error, CustomStringConvertible, Equatable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// `jwt.NewWithClaims(SigningMethodHS256, {name, iss, exp}).SignedString(secret)`.
    public static func sign(name: String, issuer: String, expiresAt: Int, secret: [UInt8]) -> String {
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        let claims = GoJSON.object([("name", .string(name)), ("iss", .string(issuer)), ("exp", .int(expiresAt))])
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.compact.utf8))
        return signingInput + "." + hs256Signature(of: signingInput, secret: secret)
    }

    /// golang-jwt's `SigningMethodHS256.Sign`: the Base64URL HMAC-SHA256 of the signing input (`header.claims`).
    public static func hs256Signature(of signingInput: String, secret: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: secret))
        return Base64URL.encode(Array(code))
    }

    /// `jwt.ParseWithClaims` with podinfo's key function (HMAC only): malformed → alg → key → claims → signature,
    /// where a bad signature replaces any claims error.
    public static func validate(_ token: String, secret: [UInt8], now: Double) -> Result<Claims, ValidationError> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return .failure(ValidationError("token contains an invalid number of segments")) }
        let header: [String: Any]
        let payload: [String: Any]
        switch decodeObject(parts[0]) {
        case .success(let object): header = object
        case .failure(let error): return .failure(error)
        }
        switch decodeObject(parts[1]) {
        case .success(let object): payload = object
        case .failure(let error): return .failure(error)
        }
        guard let algorithm = header["alg"] as? String else {
            return .failure(ValidationError("signing method (alg) is unspecified."))
        }
        let known = [
            "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
            "ES384", "ES512", "EdDSA", "none",
        ]
        guard known.contains(algorithm) else {
            return .failure(ValidationError("signing method (alg) is unavailable."))
        }
        guard algorithm.hasPrefix("HS") else { return .failure(ValidationError("invalid signing method")) }

        let expiresAt = (payload["exp"] as? NSNumber)?.doubleValue
        var failure: ValidationError?
        if let expiresAt, !(now < expiresAt) {
            let delta = Duration.nanoseconds(Int64(((now - expiresAt) * 1e9).rounded()))
            failure = ValidationError("token is expired by \(GoDurationFormat.format(delta))")
        } else if let issuedAt = (payload["iat"] as? NSNumber)?.doubleValue, now < issuedAt {
            failure = ValidationError("token used before issued")
        } else if let notBefore = (payload["nbf"] as? NSNumber)?.doubleValue, now < notBefore {
            failure = ValidationError("token is not valid yet")
        }

        switch Base64URL.decode(parts[2]) {
        case .failure(let error):
            return .failure(ValidationError(error.description))
        case .success(let signature):
            let signingInput = Array((parts[0] + "." + parts[1]).utf8)
            guard Self.verify(signature, of: signingInput, algorithm: algorithm, secret: secret) else {
                return .failure(ValidationError("signature is invalid"))
            }
        }
        if let failure { return .failure(failure) }
        let claims = Claims(
            name: payload["name"] as? String ?? "",
            issuer: payload["iss"] as? String ?? "",
            expiresAt: expiresAt.map { Int($0) }
        )
        return .success(claims)
    }

    /// golang-jwt's `SigningMethodHMAC.Verify`: podinfo's key function accepts every HMAC method, so HS384 and
    /// HS512 tokens signed with the secret are valid too. swift-crypto compares the codes in constant time.
    private static func verify(_ signature: [UInt8], of input: [UInt8], algorithm: String, secret: [UInt8]) -> Bool {
        let key = SymmetricKey(data: secret)
        switch algorithm {
        case "HS256": return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        case "HS384": return HMAC<SHA384>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        case "HS512": return HMAC<SHA512>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        default: return false
        }
    }

    private static func decodeObject(_ segment: String) -> Result<[String: Any], ValidationError> {
        switch Base64URL.decode(segment) {
        case .failure(let error):
            return .failure(ValidationError(error.description))
        case .success(let bytes):
            guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                return .failure(ValidationError("invalid character in token segment: not a JSON object"))
            }
            return .success(object)
        }
    }

    /// Unix seconds as RFC 3339 in UTC (`2026-07-22T10:01:00Z`), as Go prints a `time.Time` in a UTC container.
    public static func rfc3339(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))Z"
    }
}
