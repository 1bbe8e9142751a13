// Types of SwiftNIO that appear in Apus's API (HTTPHeaders, HTTPResponseStatus, HTTPMethod,
// ByteBuffer), re-exported so that `import Apus` is all an app needs.
@_exported public import NIOCore
@_exported public import NIOHTTP1
