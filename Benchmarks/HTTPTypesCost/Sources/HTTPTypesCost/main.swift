// The per-request cost of swift-http-types on HTTP/1: NIO's decoded head converted to an
// HTTPRequest and the HTTPResponse converted back to NIO's head, as NIOHTTPTypesHTTP1's
// server codec does, against the same channel with a pass-through handler.
import Foundation
import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

final class PassThrough: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart
}

/// Answers each request head with a 200 of its own kind of types.
final class NIOAnswer: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    var seen = 0
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = self.unwrapInboundIn(data) {
            self.seen &+= head.headers.count
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "text/plain; charset=utf-8")
            headers.add(name: "content-length", value: "13")
            context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        }
    }
}

final class TypesAnswer: ChannelInboundHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart
    var seen = 0
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = self.unwrapInboundIn(data) {
            self.seen &+= head.headerFields.count
            var fields = HTTPFields()
            fields[.contentType] = "text/plain; charset=utf-8"
            fields[.contentLength] = "13"
            context.write(self.wrapOutboundOut(.head(HTTPResponse(status: .ok, headerFields: fields))), promise: nil)
        }
    }
}

func head() -> HTTPRequestHead {
    var headers = HTTPHeaders()
    headers.add(name: "host", value: "127.0.0.1:8000")
    headers.add(name: "user-agent", value: "wrk")
    headers.add(name: "accept", value: "*/*")
    headers.add(name: "accept-encoding", value: "gzip")
    headers.add(name: "connection", value: "keep-alive")
    headers.add(name: "x-request-id", value: "0123456789abcdef")
    return HTTPRequestHead(version: .http1_1, method: .GET, uri: "/items/42?q=hello", headers: headers)
}

func measure(_ label: String, _ handlers: [any ChannelHandler], count: Int) throws -> Double {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandlers(handlers)
    let request = head()
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<count {
        try channel.writeInbound(HTTPServerRequestPart.head(request))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        while let _ = try channel.readOutbound(as: HTTPServerResponsePart.self) {}
    }
    let nanoseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(count)
    _ = try channel.finish()
    return nanoseconds
}

let count = 300_000
var nio: [Double] = []
var types: [Double] = []
for _ in 0..<7 {
    nio.append(try measure("nio", [PassThrough(), NIOAnswer()], count: count))
    types.append(try measure("types", [HTTP1ToHTTPServerCodec(secure: false), TypesAnswer()], count: count))
}
nio.sort()
types.sort()
print("per request, median of 7 x \(count): NIO types \(Int(nio[3])) ns, swift-http-types via HTTP1ToHTTPServerCodec \(Int(types[3])) ns, difference \(Int(types[3] - nio[3])) ns")
