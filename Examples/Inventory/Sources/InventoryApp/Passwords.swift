import Crypto
import CryptoExtras
import Foundation

/// Password hashes with PBKDF2-SHA256 (a real key-derivation function; the password itself
/// is never stored), written as `pbkdf2_sha256$<rounds>$<salt>$<hash>` with base64 parts.
enum PasswordHasher {
    static func hash(_ password: String, rounds: Int) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let key = try Self.derive(password, salt: salt, rounds: rounds)
        return "pbkdf2_sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    /// Whether `password` matches `stored`, compared in constant time.
    static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2_sha256", let rounds = Int(parts[1]),
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
            let derived = try? Self.derive(password, salt: Array(salt), rounds: rounds), derived.count == expected.count
        else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(derived, expected) { difference |= a ^ b }
        return difference == 0
    }

    /// A hash no password matches, verified against when the user does not exist so that the
    /// answer takes as long as for a wrong password.
    static func dummyHash(rounds: Int) -> String {
        "pbkdf2_sha256$\(rounds)$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    }

    private static func derive(_ password: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}
