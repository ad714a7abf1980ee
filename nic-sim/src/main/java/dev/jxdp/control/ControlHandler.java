package dev.jxdp.control;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.MapException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The control endpoint's routes:
 *
 * <pre>
 * GET  /stats                 SwitchStats as JSON
 * GET  /metrics               the same in Prometheus' text exposition format (0.0.4)
 * GET  /maps                  [MapInfo]
 * GET  /programs              [ProgramInfo]
 * POST /maps/ID/lookup        {"key": HEX}                      -> MapReply
 * POST /maps/ID/update        {"key": HEX, "value": HEX, "flags": N}
 * POST /maps/ID/delete        {"key": HEX}                      -> MapReply (found: whether it was there)
 * POST /maps/ID/next_key      {"key": HEX or null}              -> MapReply (key: the next one)
 * POST /maps/ID/lookup_and_delete {"key": HEX or null}          -> MapReply
 * </pre>
 *
 * A failed map operation answers 409 with an {@link ErrorReply} carrying the errno, so that the client
 * prints what bpftool prints for the same failure; a bad request 400 (a body that is not JSON, or not a
 * request's, said in one line without the parser's internals), an unknown path 404, a known path with
 * a method it does not take 405 with an Allow header (RFC 9110 15.5.6).
 */
final class ControlHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final HexFormat HEX = HexFormat.of();
    private final ControlApi api;

    ControlHandler(ControlApi api) {
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        FullHttpResponse res;
        try {
            res = route(req);
        } catch (MapException e) {
            res = json(HttpResponseStatus.CONFLICT, new ErrorReply(e.getMessage(), e.errno().value(), e.command()));
        } catch (JsonProcessingException e) {
            res = json(HttpResponseStatus.BAD_REQUEST, new ErrorReply(badBody(e), 0, null));
        } catch (IllegalArgumentException e) {
            res = json(HttpResponseStatus.BAD_REQUEST, new ErrorReply(e.getMessage(), 0, null));
        } catch (RuntimeException e) {
            res = json(HttpResponseStatus.INTERNAL_SERVER_ERROR, new ErrorReply(e.toString(), 0, null));
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The map operations of POST /maps/ID/OP. */
    private static final List<String> MAP_OPS = List.of("lookup", "update", "delete", "next_key", "lookup_and_delete");

    private FullHttpResponse route(FullHttpRequest req) throws JsonProcessingException {
        String path = new QueryStringDecoder(req.uri()).path();
        HttpMethod m = req.method();
        String[] parts = path.split("/");
        boolean getPath = List.of("/stats", "/metrics", "/maps", "/programs").contains(path);
        boolean mapOpPath = parts.length == 4 && parts[1].equals("maps") && MAP_OPS.contains(parts[3]);
        // a path that is there, asked with a method it does not take: 405 naming the one it does, not 404
        if (getPath && !m.equals(HttpMethod.GET)) {
            return notAllowed(m, path, HttpMethod.GET);
        }
        if (mapOpPath && !m.equals(HttpMethod.POST)) {
            return notAllowed(m, path, HttpMethod.POST);
        }
        if (m.equals(HttpMethod.GET)) {
            return switch (path) {
                case "/stats" -> json(HttpResponseStatus.OK, api.stats());
                case "/metrics" -> text(PrometheusText.render(api.stats()), PrometheusText.CONTENT_TYPE);
                case "/maps" -> json(HttpResponseStatus.OK, api.maps());
                case "/programs" -> json(HttpResponseStatus.OK, api.programs());
                default -> notFound(path);
            };
        }
        if (m.equals(HttpMethod.POST) && parts.length == 4 && parts[1].equals("maps")) {
            EbpfMap map = api.map(parseId(parts[2]));
            if (map == null) {
                return json(HttpResponseStatus.NOT_FOUND, new ErrorReply("no map with id " + parts[2], 2, null));
            }
            MapRequest r = Json.MAPPER.readValue(req.content().toString(StandardCharsets.UTF_8), MapRequest.class);
            return json(HttpResponseStatus.OK, mapOp(map, parts[3], r));
        }
        return notFound(path);
    }

    private static MapReply mapOp(EbpfMap map, String op, MapRequest r) {
        byte[] key = r.key() == null ? null : HEX.parseHex(r.key());
        return switch (op) {
            case "lookup" -> found(key, map.lookup(key));
            case "update" -> {
                if (r.value() == null) {
                    throw new IllegalArgumentException("update needs a value");
                }
                map.update(key, HEX.parseHex(r.value()), r.flags());
                yield new MapReply(true, r.key(), r.value());
            }
            case "delete" -> new MapReply(map.delete(key), r.key(), null);
            case "next_key" -> {
                Optional<byte[]> next = map.nextKey(key);
                yield next.map(k -> new MapReply(true, HEX.formatHex(k), null)).orElse(new MapReply(false, null, null));
            }
            case "lookup_and_delete" -> found(key, map.lookupAndDelete(key));
            default -> throw new IllegalArgumentException("no map operation '" + op
                    + "' (lookup, update, delete, next_key, lookup_and_delete)");
        };
    }

    private static MapReply found(byte[] key, Optional<byte[]> value) {
        String k = key == null ? null : HEX.formatHex(key);
        return value.map(v -> new MapReply(true, k, HEX.formatHex(v))).orElse(new MapReply(false, k, null));
    }

    private static int parseId(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("map id '" + s + "' is not a number");
        }
    }

    private static FullHttpResponse notAllowed(HttpMethod method, String path, HttpMethod allowed) {
        FullHttpResponse res = json(HttpResponseStatus.METHOD_NOT_ALLOWED,
                new ErrorReply(method + " is not allowed on " + path + " (" + allowed + " is)", 0, null));
        res.headers().set(HttpHeaderNames.ALLOW, allowed.name());
        return res;
    }

    /**
     * A request body Jackson could not read, in one line without its internals (the source
     * description, StreamReadFeature, Java class names): not JSON at all, or JSON that is not a map
     * request (a field of the wrong kind).
     */
    static String badBody(JsonProcessingException e) {
        String why = e.getOriginalMessage();
        why = why == null ? e.getClass().getSimpleName() : why.lines().findFirst().orElse("");
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        if (e instanceof MismatchedInputException mi) {
            String field = mi.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            if (mi.getTargetType() == MapRequest.class || field.isEmpty()) {
                return why.startsWith("No content") ? "request body is empty: expected a JSON object"
                        : "request body is not a JSON object" + where;
            }
            return "request body: '" + field + "' is not " + kind(mi.getTargetType()) + where;
        }
        if (e instanceof DatabindException) {
            return "request body is not a map request: " + why + where;
        }
        return "request body is not JSON: " + why + where;
    }

    /** A request field's kind in JSON's words, not Java's. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "of the right kind";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isPrimitive() && type != boolean.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        return type == boolean.class || type == Boolean.class ? "true or false" : "of the right kind";
    }

    private static FullHttpResponse notFound(String path) {
        return json(HttpResponseStatus.NOT_FOUND,
                new ErrorReply("no such resource: " + path + " (GET /stats, /metrics, /maps, /programs; POST /maps/ID/OP)", 0, null));
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object body) {
        try {
            return respond(status, Json.MAPPER.writeValueAsBytes(body), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FullHttpResponse text(String body, String type) {
        return respond(HttpResponseStatus.OK, body.getBytes(StandardCharsets.UTF_8), type);
    }

    private static FullHttpResponse respond(HttpResponseStatus status, byte[] body, String type) {
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpResponse res = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status, content);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return res;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a client that went away mid-request: nothing to answer
    }
}
