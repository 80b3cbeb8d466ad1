package dev.vmigrate.api.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request body stops arriving: once a request has begun, each part of its
 * body must follow the last within {@code vmigrate.api.body-idle-timeout}, or the connection is
 * closed and what was read is dropped. A body that never finishes must not hold its connection (and
 * the buffer behind it) forever. Idle connections between requests and requests the server is still
 * answering are left to {@code micronaut.server.idle-timeout}.
 */
@Singleton
public class StalledBodyTimeout
    implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
  private static final Logger LOG = LoggerFactory.getLogger(StalledBodyTimeout.class);
  static final String HANDLER = "vmigrate-stalled-body";

  private final Duration timeout;

  public StalledBodyTimeout(@Value("${vmigrate.api.body-idle-timeout:30s}") Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public NettyServerCustomizer.Registry onCreated(
      BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
    NettyServerCustomizer.Registry registry = event.getBean();
    if (!timeout.isZero() && !timeout.isNegative()) {
      registry.register(new Customizer(null));
    }
    return registry;
  }

  private final class Customizer implements NettyServerCustomizer {
    private final Channel channel;

    Customizer(Channel channel) {
      this.channel = channel;
    }

    @Override
    public NettyServerCustomizer specializeForChannel(Channel c, ChannelRole role) {
      return role == ChannelRole.CONNECTION ? new Customizer(c) : this;
    }

    @Override
    public void onStreamPipelineBuilt() {
      if (channel == null) {
        return;
      }
      ChannelPipeline p = channel.pipeline();
      if (p.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
          && p.get(HANDLER) == null) {
        p.addAfter(
            ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, HANDLER, new Handler(timeout));
      }
    }
  }

  /** Counts reads as Netty's idle handler does, and acts only while a body is being read. */
  static final class Handler extends IdleStateHandler {
    private boolean inBody;

    Handler(Duration timeout) {
      super(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof HttpRequest) {
        inBody = true;
      }
      if (msg instanceof LastHttpContent) {
        inBody = false;
      }
      super.channelRead(ctx, msg);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
      if (inBody && evt.state() == IdleState.READER_IDLE) {
        LOG.info("{}: request body stalled; connection closed", ctx.channel().remoteAddress());
        ctx.close();
      }
    }
  }
}
