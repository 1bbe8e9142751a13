import NIOCore

extension RequestPipeline {
    /// What reading a request's body and parameters gave.
    package enum Preparation {
        /// Every parameter is valid: the handler's work, ready to run.
        case run(Endpoint.Work)
        /// The validation errors, in FastAPI's order (a 422).
        case invalid([ValidationErrorDetail])
        /// The body could not be read at all (invalid JSON, not UTF-8), or a security scheme refused.
        case rejected(Response)

        /// The response when the handler cannot run.
        var refusal: Response? {
            switch self {
            case .run: return nil
            case .invalid(let errors): return RequestValidationError(errors: errors).response
            case .rejected(let response): return response
            }
        }
    }

    /// Reads the body (when the route has body parameters) and every parameter.
    func prepare(_ request: Request, form: FormData?, route: Route) -> Preparation {
        let body: ParsedBody
        if let form {
            body = .form(form)
        } else if route.hasBody {
            switch Self.parseBody(request) {
            case .parsed(let parsed): body = parsed
            case .rejected(let response): return .rejected(response)
            }
        } else {
            body = .absent
        }
        let context = ExtractionContext(request: request, embedBodies: route.embedBodies, body: body, services: self.services)
        if let extras = route.extras {
            for dependency in extras.dependencies { _ = dependency.extract(from: context) }
        }
        let work = route.endpoint.prepare(context)
        if let failure = context.failure { return .rejected(failure.response) }
        guard let work else { return .invalid(context.orderedErrors) }
        return .run(work)
    }

    /// The body as parameters read it, or the response for a body that cannot be read.
    static func parseBody(_ request: Request) -> BodyParsing {
        guard let buffer = request.body, buffer.readableBytes > 0 else { return .parsed(.absent) }
        if isJSONContentType(request.headers.first(name: "content-type")) {
            do {
                let value = try buffer.withUnsafeReadableBytes { try JSONParser.parse($0) }
                return .parsed(.json(value))
            } catch let error as JSONSyntaxError {
                let detail = ValidationErrorDetail(
                    type: "json_invalid", loc: ["body", .index(error.characterOffset)], msg: "JSON decode error",
                    input: .object([]), ctx: ["error": .string(error.message)])
                return .rejected(RequestValidationError(errors: [detail]).response)
            } catch {
                return .rejected(.detail("There was an error parsing the body", status: .badRequest))
            }
        }
        guard let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes),
            String(validating: buffer.readableBytesView, as: UTF8.self) != nil
        else {
            return .rejected(.detail("There was an error parsing the body", status: .badRequest))
        }
        return .parsed(.text(text))
    }
}

/// A body ready for the parameters, or the response for one that cannot be read.
enum BodyParsing {
    case parsed(ParsedBody)
    case rejected(Response)
}
