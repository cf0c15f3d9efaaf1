import Crypto
import Logging

extension PodinfoResponder {
    /// `POST|PUT /store`: writes the body to `<data-path>/<sha1>` and answers 202 `{"hash": …}`.
    func storeWrite(_ input: HandlerInput) async -> Reply {
        let body: [UInt8]
        switch await input.body() {
        case .success(let bytes): body = bytes
        case .failure(let error): return error.reply
        }
        let hash = hexString(Insecure.SHA1.hash(data: body))
        let path = config.dataPath + "/" + hash
        if let error = FileSystem.write(body, to: path) {
            logger.warning("writing file failed", metadata: ["error": .string(error), "file": .string(path)])
            return .error("writing file failed", code: 500)
        }
        return .json(.object([("hash", .string(hash))]), status: 202)
    }

    /// `GET /store/{hash}`: the stored bytes with 202 (sic) and the raw-response headers.
    func storeRead(_ input: HandlerInput) -> Reply {
        let hash = input.variables["hash"] ?? ""
        let isHex = hash.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        guard hash.utf8.count == 40, isHex else { return .error("invalid hash", code: 400) }
        let path = config.dataPath + "/" + hash
        guard let content = FileSystem.readBytes(path) else {
            logger.warning(
                "reading file failed",
                metadata: ["error": .string("open \(path): no such file or directory"), "file": .string(path)]
            )
            return .error("reading file failed", code: 500)
        }
        return .raw(content, status: 202)
    }
}
