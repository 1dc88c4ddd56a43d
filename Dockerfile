# syntax=docker/dockerfile:1
# Build: docker build -t tributary .
# Run:   docker run -d -p 8080:8080 -v tributary-data:/var/lib/tributary \
#          -v "$PWD/config.yaml:/etc/tributary/config.yaml:ro" tributary
# Without a mounted config the image serves its bundled sample feeds.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/tributary ./cmd/tributary \
 && mkdir -p /out/data

# distroless/static has CA certificates, tzdata and a "nonroot" user (65532)
# and nothing else: no shell for an attacker, nothing to patch.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tributary /usr/local/bin/tributary
COPY contrib/docker/config.yaml /etc/tributary/config.yaml
COPY examples/feeds /usr/share/tributary/examples/feeds
COPY --from=build --chown=65532:65532 /out/data /var/lib/tributary
USER 65532:65532
VOLUME ["/var/lib/tributary"]
ENV TRIBUTARY_CONFIG=/etc/tributary/config.yaml
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/tributary", "health"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/tributary"]
CMD ["serve"]
