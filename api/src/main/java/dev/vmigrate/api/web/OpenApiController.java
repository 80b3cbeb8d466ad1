package dev.vmigrate.api.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;

/** Serves the OpenAPI document that micronaut-openapi generated at compile time. */
@Controller
@Hidden
public class OpenApiController {
  static final String RESOURCE = "META-INF/swagger/vmigrate-1.yml";

  @Get(value = "/openapi.yml", produces = "application/yaml")
  public HttpResponse<String> openapi() throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return HttpResponse.notFound();
      }
      return HttpResponse.ok(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .contentType(MediaType.of("application/yaml"));
    }
  }
}
