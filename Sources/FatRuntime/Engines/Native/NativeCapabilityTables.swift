import FatCapabilities
import FatContractABI
import FatCrypto

/// The capability tables native contracts get from `fat_host_api.capability`: "fat.http",
/// "fat.crypto", and one `fat_module_api` per loaded capability module. Each function finds its
/// frame through the `fat_ctx`, as the host table does, and goes through the frame's capabilities,
/// where the command/query rule is enforced for every engine. **Immutable; thread-safe.**
enum NativeCapabilityTables {
    static let lookup: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafePointer<CChar>?, UInt32) -> UnsafeRawPointer? = {
        ctx, name, minVersion in
        guard let frame = NativeHostTable.context(ctx), let name else { return nil }
        switch String(cString: name) {
        case FAT_CAP_HTTP: return minVersion <= FAT_CAP_HTTP_VERSION ? UnsafeRawPointer(http) : nil
        case FAT_CAP_CRYPTO: return minVersion <= FAT_CAP_CRYPTO_VERSION ? UnsafeRawPointer(crypto) : nil
        case let moduleName:
            guard minVersion <= 1 else { return nil }
            return frame.moduleTable(named: moduleName)
        }
    }

    static func string(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> String? {
        guard let pointer else { return length == 0 ? "" : nil }
        return NativeHostTable.text(pointer, length)
    }

    /// Stores `output` as the frame's last output (for last_output) and copies it out.
    static func answer(
        _ frame: any NativeCallContext, _ output: [UInt8], _ out: UnsafeMutablePointer<UInt8>?, _ outLength: UnsafeMutablePointer<Int>?
    )
        -> fat_status
    {
        frame.lastCallOutput = output
        guard let outLength else { return FAT_ERR_INVALID_ARGUMENT }
        return NativeHostTable.copyOut(output, out, outLength)
    }

    // MARK: fat.http

    nonisolated(unsafe) static let http: UnsafePointer<fat_http_api> = {
        let table = UnsafeMutablePointer<fat_http_api>.allocate(capacity: 1)
        table.initialize(
            to: fat_http_api(
                struct_size: UInt32(MemoryLayout<fat_http_api>.size), version: FAT_CAP_HTTP_VERSION,
                request: httpRequest, response_header: responseHeader))
        return UnsafePointer(table)
    }()

    static let httpRequest:
        @convention(c) (
            UnsafeMutablePointer<fat_ctx>?, UnsafePointer<fat_http_request>?, UnsafeMutablePointer<UInt16>?, UnsafeMutablePointer<UInt8>?,
            UnsafeMutablePointer<Int>?
        ) -> fat_status = { ctx, request, statusCode, out, outLength in
            guard let frame = NativeHostTable.context(ctx), let request, let statusCode, let outLength else { return FAT_ERR_INVALID_ARGUMENT }
            let r = request.pointee
            guard r.struct_size >= UInt32(MemoryLayout<fat_http_request>.size),
                let method = string(r.method, r.method_len), let url = string(r.url, r.url_len),
                let body = NativeHostTable.bytes(r.body, r.body_len),
                (0 ... 1024).contains(r.header_count), r.header_count == 0 || r.headers != nil
            else { return FAT_ERR_INVALID_ARGUMENT }
            var headers: [HTTPHeader] = []
            for index in 0 ..< r.header_count {
                let header = r.headers[index]
                guard let name = string(header.name, header.name_len), let value = string(header.value, header.value_len) else {
                    return FAT_ERR_INVALID_ARGUMENT
                }
                headers.append(HTTPHeader(name: name, value: value))
            }
            let (response, status) = frame.httpRequest(HTTPRequest(method: method, url: url, headers: headers, body: body), timeoutMs: r.timeout_ms)
            guard let response else {
                frame.lastHTTPResponseHeaders = []
                return status
            }
            frame.lastHTTPResponseHeaders = response.headers
            statusCode.pointee = response.statusCode
            return answer(frame, response.body, out, outLength)
        }

    static func status(for error: HTTPError) -> fat_status {
        switch error {
        case .invalidURL, .unsupportedScheme, .invalidMethod, .invalidHeader: FAT_ERR_INVALID_ARGUMENT
        case .hostNotAllowed, .privateAddress: FAT_ERR_NOT_ALLOWED
        case .responseTooLarge, .tooManyHeaders, .batchTooLarge: FAT_ERR_VALUE_TOO_LARGE
        case .timedOut: FAT_ERR_TIMEOUT
        case .tooManyRedirects, .network: FAT_ERR_NETWORK
        }
    }

    static let responseHeader:
        @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<Int>?) ->
            fat_status = { ctx, name, nameLength, out, outLength in
                guard let frame = NativeHostTable.context(ctx), let name = string(name, nameLength), let outLength else {
                    return FAT_ERR_INVALID_ARGUMENT
                }
                guard let header = frame.lastHTTPResponseHeaders.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                    return FAT_ERR_NOT_FOUND
                }
                return NativeHostTable.copyOut(Array(header.value.utf8), UnsafeMutableRawPointer(out)?.assumingMemoryBound(to: UInt8.self), outLength)
            }

    // MARK: fat.crypto

    nonisolated(unsafe) static let crypto: UnsafePointer<fat_crypto_api> = {
        let table = UnsafeMutablePointer<fat_crypto_api>.allocate(capacity: 1)
        table.initialize(
            to: fat_crypto_api(
                struct_size: UInt32(MemoryLayout<fat_crypto_api>.size), version: FAT_CAP_CRYPTO_VERSION,
                hash: hash, derive_key: deriveKey, public_key: publicKey, sign: sign, verify: verify, random: random))
        return UnsafePointer(table)
    }()

    static let hash: @convention(c) (UInt32, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> fat_status = {
        algorithm, data, length, out, outLength in
        guard let data = NativeHostTable.bytes(data, length), let outLength else { return FAT_ERR_INVALID_ARGUMENT }
        let digest: [UInt8]
        switch algorithm {
        case FAT_HASH_SHA256: digest = SHA256.hash(data)
        case FAT_HASH_BLAKE2B_256: digest = Blake2b.hash256(data)
        case FAT_HASH_BLAKE2B_128: digest = Blake2b.hash(data, outputLength: 16)
        case FAT_HASH_KECCAK_256: digest = Keccak256.hash(data)
        default: return FAT_ERR_INVALID_ARGUMENT
        }
        return NativeHostTable.copyOut(digest, out, outLength)
    }

    static func scheme(_ value: UInt32) -> SignatureScheme? { value <= 2 ? SignatureScheme(rawValue: UInt8(value)) : nil }

    static let deriveKey:
        @convention(c) (UnsafeMutablePointer<fat_ctx>?, UInt32, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?)
            -> fat_status = { ctx, type, salt, saltLength, out, outLength in
                guard let frame = NativeHostTable.context(ctx), let scheme = scheme(type), let salt = NativeHostTable.bytes(salt, saltLength),
                    let outLength,
                    let secret = try? frame.deriveKey(scheme, salt: salt)
                else { return FAT_ERR_INVALID_ARGUMENT }
                return NativeHostTable.copyOut(secret, out, outLength)
            }

    static let publicKey:
        @convention(c) (UInt32, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> fat_status = {
            type, secret, secretLength, out, outLength in
            guard let scheme = scheme(type), let secret = NativeHostTable.bytes(secret, secretLength), let outLength,
                let key = try? scheme.publicKey(secret: secret)
            else { return FAT_ERR_INVALID_ARGUMENT }
            return NativeHostTable.copyOut(key, out, outLength)
        }

    static let sign:
        @convention(c) (
            UnsafeMutablePointer<fat_ctx>?, UInt32, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?,
            UnsafeMutablePointer<Int>?
        ) -> fat_status = { ctx, type, secret, secretLength, message, messageLength, out, outLength in
            guard let frame = NativeHostTable.context(ctx), let scheme = scheme(type), let secret = NativeHostTable.bytes(secret, secretLength),
                let message = NativeHostTable.bytes(message, messageLength), let outLength,
                let signature = try? frame.sign(scheme, secret: secret, message: message)
            else { return FAT_ERR_INVALID_ARGUMENT }
            return NativeHostTable.copyOut(signature, out, outLength)
        }

    static let verify: @convention(c) (UInt32, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int) -> fat_status = {
        type, key, keyLength, message, messageLength, signature, signatureLength in
        guard let scheme = scheme(type), let key = NativeHostTable.bytes(key, keyLength), let message = NativeHostTable.bytes(message, messageLength),
            let signature = NativeHostTable.bytes(signature, signatureLength),
            let valid = try? scheme.verify(publicKey: key, message: message, signature: signature)
        else { return FAT_ERR_INVALID_ARGUMENT }
        return valid ? FAT_OK : FAT_ERR_BAD_SIGNATURE
    }

    static let random: @convention(c) (UnsafeMutablePointer<fat_ctx>?, UnsafeMutablePointer<UInt8>?, Int) -> fat_status = { ctx, out, length in
        guard let frame = NativeHostTable.context(ctx), length >= 0, length <= 1 << 20, length == 0 || out != nil else {
            return FAT_ERR_INVALID_ARGUMENT
        }
        let bytes = frame.randomBytes(length)
        bytes.withUnsafeBufferPointer { if length > 0 { out!.update(from: $0.baseAddress!, count: length) } }
        return FAT_OK
    }

    // MARK: Modules

    static let moduleCall:
        @convention(c) (
            UnsafePointer<fat_module_api>?, UnsafeMutablePointer<fat_ctx>?, UInt32, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?,
            UnsafeMutablePointer<Int>?
        ) -> fat_status = { table, ctx, functionId, input, inputLength, out, outLength in
            // This table is the host's: only a contract running in the host holds it (a worker
            // process has tables of its own, see WorkerModuleTables).
            guard let table, let hostData = table.pointee.host_data, let frame = NativeHostTable.context(ctx) as? CallFrame,
                let input = NativeHostTable.bytes(input, inputLength)
            else { return FAT_ERR_INVALID_ARGUMENT }
            let module = Unmanaged<CapabilityModule>.fromOpaque(hostData).takeUnretainedValue()
            do {
                guard let result = try frame.callModule(module, functionId: functionId, input: input) else { return FAT_ERR_NOT_FOUND }
                guard result.status == FAT_OK else { return result.status }
                return answer(frame, result.output, out, outLength)
            } catch {
                frame.log("\(error)")
                return FAT_ERR_NOT_ALLOWED
            }
        }

    static let moduleFunctionId:
        @convention(c) (UnsafePointer<fat_module_api>?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<UInt32>?) -> fat_status = {
            table, name, nameLength, out in
            guard let table, let hostData = table.pointee.host_data, let name = string(name, nameLength), let out else {
                return FAT_ERR_INVALID_ARGUMENT
            }
            let module = Unmanaged<CapabilityModule>.fromOpaque(hostData).takeUnretainedValue()
            guard let function = module.function(named: name) else { return FAT_ERR_NOT_FOUND }
            out.pointee = function.id
            return FAT_OK
        }
}
