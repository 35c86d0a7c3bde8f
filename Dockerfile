# The LLM Schema Registry container image.
#
#   docker build -t schema-registry:v1.2.3 --build-arg COMMIT=$(git rev-parse --short HEAD) .
#   docker run -p 8081:8081 -v registry-data:/var/lib/schema-registry/data schema-registry:v1.2.3
#
# Two stages on Debian 12: the build (the project's own Makefile, the same
# packages as scripts/install-deps.sh needs to compile), then a runtime
# with the shared libraries only, the binary, backup-runner and the smoke
# test, running as an unprivileged user. The runtime also carries psql and
# the AWS CLI: the deployment runbook checks the database with
# `psql $DATABASE_URL` and backup-runner uploads to S3 with `aws s3 cp`
# (build with --build-arg AWSCLI=0 for an image without it).
ARG DEBIAN=debian:12-slim

FROM ${DEBIAN} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config \
      libmicrohttpd-dev libsqlite3-dev libssl-dev libpq-dev libpcre2-dev libidn2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile VERSION ./
COPY scripts/embed.sh scripts/
COPY src src
ARG COMMIT=unknown
RUN make -j"$(nproc)" build COMMIT="${COMMIT}" && strip build/schema-registry

FROM ${DEBIAN}
ARG AWSCLI=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl tini \
      libmicrohttpd12 libsqlite3-0 libssl3 libpq5 libpcre2-8-0 libidn2-0 postgresql-client \
 && if [ "$AWSCLI" = 1 ]; then apt-get install -y --no-install-recommends awscli; fi \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/schema-registry registry \
 && mkdir -p /var/lib/schema-registry/data /var/backups/schema-registry \
 && chown -R registry:registry /var/lib/schema-registry /var/backups/schema-registry
COPY --from=build /src/build/schema-registry /usr/local/bin/schema-registry
COPY scripts/backup-runner /usr/local/bin/backup-runner
COPY scripts/smoke-test.sh /usr/local/bin/smoke-test
USER 10001:10001
WORKDIR /var/lib/schema-registry
ENV DATABASE_URL=sqlite:/var/lib/schema-registry/data/registry.db \
    SCHEMA_REGISTRY_LISTEN=0.0.0.0:8081
EXPOSE 8081
VOLUME ["/var/lib/schema-registry/data"]
# tini reaps children and forwards SIGTERM, which drains in-flight requests.
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/schema-registry"]
CMD ["serve"]
