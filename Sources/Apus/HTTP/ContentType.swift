/// `application/json` or `application/<anything>+json`, parameters ignored.
func isJSONContentType(_ value: String?) -> Bool {
    guard let value else { return false }
    let mediaType = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces().lowercased() } ?? ""
    return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
}
