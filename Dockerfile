# syntax=docker/dockerfile:1
# The pullsecret-webhook image:  docker build -t ghcr.io/pullsecret-webhook/pullsecret-webhook:0.1.0 .
#
# The build steps are the commands the README and CI use: `dotnet restore` of the project, then
# `dotnet publish src/PullSecretWebhook -c Release -o /app`. tests/PullSecretWebhook.Tests/Deploy/DockerfileTests.cs
# reads the two RUN lines below, runs exactly them (with a scratch directory for /app) and starts the published
# executable, so what the image contains is what the tests exercise.

# Pinned by tag; for byte-for-byte reproducible images pin the digest too, e.g.
#   FROM mcr.microsoft.com/dotnet/sdk:10.0@sha256:<digest> AS build
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore from the build settings and project files only, so this layer is reused until one of them changes.
COPY Directory.Build.props Directory.Packages.props PullSecretWebhook.sln .editorconfig ./
COPY src/PullSecretWebhook/PullSecretWebhook.csproj src/PullSecretWebhook/
RUN dotnet restore src/PullSecretWebhook/PullSecretWebhook.csproj

COPY src/ src/
RUN dotnet publish src/PullSecretWebhook -c Release -o /app --no-restore

# The ASP.NET Core runtime only (no SDK, no compilers); pin the digest as above for reproducibility.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# The server listens on HTTPS 8443 only (its --urls default); the base image's plain-HTTP port setting is cleared so
# that nothing binds 8080. Diagnostics stay on: their socket goes to /tmp, an emptyDir in deploy/.
ENV ASPNETCORE_HTTP_PORTS= \
    HOME=/tmp \
    DOTNET_NOLOGO=1

# A replica limited to one CPU (or on a one-CPU node) would otherwise wait 10x longer (1 s instead of 100 ms, reset by
# every newly compiled method) before re-compiling hot methods with full optimisation: under load that is ~20 s at
# half speed after every start. The bench scripts run the server with the DOTNET_* settings of this line.
ENV DOTNET_TC_DelaySingleProcMultiplier=1

# A fixed non-root UID (the distroless "nonroot" convention), matching runAsUser in deploy/base/deployment.yaml.
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/app/pullsecret-webhook"]
