# syntax=docker/dockerfile:1
# The pullsecret-webhook image:  docker build -t ghcr.io/pullsecret-webhook/pullsecret-webhook:0.1.0 .
#
# The image holds one Native AOT executable (README "Native AOT"): no .NET runtime, no JIT, 68.2 MiB resident at
# 200 namespaces where the JIT build took 129.7. The build steps are the commands the README and CI use:
# `dotnet restore` of the project for linux-x64, then `dotnet publish src/PullSecretWebhook -c Release -r linux-x64
# -o /app`. tests/PullSecretWebhook.Tests/Deploy/DockerfileTests.cs reads the two `RUN dotnet` lines below, runs
# exactly them (with a scratch directory for /app) and starts the published executable, and the end-to-end tier runs
# the same publish against a real API server, so what the image contains is what the tests exercise.

# Pinned by tag; for byte-for-byte reproducible images pin the digest too, e.g.
#   FROM mcr.microsoft.com/dotnet/sdk:10.0@sha256:<digest> AS build
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Native AOT compiles through clang and links zlib.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Restore from the build settings and project files only, so this layer is reused until one of them changes.
COPY Directory.Build.props Directory.Packages.props PullSecretWebhook.sln .editorconfig ./
COPY src/PullSecretWebhook/PullSecretWebhook.csproj src/PullSecretWebhook/
RUN dotnet restore src/PullSecretWebhook/PullSecretWebhook.csproj -r linux-x64

COPY src/ src/
RUN dotnet publish src/PullSecretWebhook -c Release -r linux-x64 -o /app --no-restore

# What a self-contained native executable needs (glibc, OpenSSL, CA certificates), no .NET runtime; pin the digest as
# above for reproducibility.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# The server listens on HTTPS 8443 only (its --urls default); the base image's plain-HTTP port setting is cleared so
# that nothing binds 8080. HOME is /tmp, an emptyDir in deploy/ (the root filesystem is read-only).
ENV ASPNETCORE_HTTP_PORTS= \
    HOME=/tmp

# A fixed non-root UID (the distroless "nonroot" convention), matching runAsUser in deploy/base/deployment.yaml.
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/app/pullsecret-webhook"]
