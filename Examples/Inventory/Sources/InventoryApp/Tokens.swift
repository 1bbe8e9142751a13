import Foundation
import JWTKit

/// The claims of an access token: the user name and the expiry.
struct AccessTokenPayload: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try self.exp.verifyNotExpired()
    }
}

/// Signs and verifies access tokens (HS256 JWTs).
public final class TokenIssuer: Sendable {
    private let keys: JWTKeyCollection
    private let lifetime: TimeInterval

    init(secret: String, minutes: Int) async {
        self.keys = JWTKeyCollection()
        await self.keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.lifetime = TimeInterval(minutes * 60)
    }

    func issue(for username: String) async throws -> String {
        try await self.keys.sign(
            AccessTokenPayload(sub: SubjectClaim(value: username), exp: ExpirationClaim(value: Date().addingTimeInterval(self.lifetime))))
    }

    /// The user name of a valid, unexpired token; `nil` otherwise.
    func username(from token: String) async -> String? {
        try? await self.keys.verify(token, as: AccessTokenPayload.self).sub.value
    }
}
