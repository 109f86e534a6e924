# Build the `liaison` binary, then run it on a slim image.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p liaison-api --bin liaison

FROM debian:bookworm-slim
# curl: the compose health check asks /readyz.
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/liaison /usr/local/bin/liaison
ENV LIAISON_HOST=0.0.0.0 LIAISON_PORT=8080
EXPOSE 8080
USER nobody
ENTRYPOINT ["liaison"]
CMD ["serve"]
