// The SwiftNIO types that appear in Apus's API, re-exported so that `import Apus` is all an
// app needs: the body bytes, the headers, the method and status, and the time amounts of the
// configuration. The rest of NIO (event loops, channels, futures) is not Apus's API; a target
// that uses it imports NIO itself. See docs/architecture.md, "What Apus exports".
@_exported public import struct NIOCore.ByteBuffer
@_exported public import struct NIOCore.TimeAmount
@_exported public import struct NIOHTTP1.HTTPHeaders
@_exported public import enum NIOHTTP1.HTTPMethod
@_exported public import enum NIOHTTP1.HTTPResponseStatus
