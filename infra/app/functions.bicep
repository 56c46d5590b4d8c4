// Ingest: a Functions app on the Flex Consumption plan running the .NET isolated worker (runtime dotnet-isolated 10.0).
// Flex Consumption: Linux, scale to zero, per-execution billing, identity-based host storage and deployment; it runs
// no containers, so FFmpeg travels in the package (docs/deploy.md): a publish of functions/EchoPipeline.Functions plus
// static ffmpeg/ffprobe (infra/functionapp/package.targets), mounted at /home/site/wwwroot.
param location string
param tags object
param planName string
param functionAppName string
@description('The data account (EchoStorage): uploads, frames, records, outputs.')
param storageAccountName string
@description('The host\'s own account (AzureWebJobsStorage) holding the deployment container; the worker has no role on it.')
param hostStorageAccountName string
param deploymentContainerName string
@description('Key Vault URI and secret names of the watermark key (keyvault.bicep); VerifyAudio reads them as Key Vault references.')
param keyVaultUri string
param watermarkSecretName string
param previousWatermarkSecretName string
@description('Also accept marks of the retired key kept as the previous secret (after a rotation, docs/provenance.md).')
param acceptPreviousWatermarkKey bool = false
param identityName string
param applicationInsightsConnectionString string

@description('Id of the model bundle the worker runs (Ingest__BundleId): part of every job id.')
param bundleId string

@description('Instance memory of the Flex Consumption plan; FFmpeg seeking in large videos wants at least 2048.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most concurrent instances (ingest is light; the GPU worker is the bottleneck).')
param maximumInstanceCount int = 40

var appRoot = '/home/site/wwwroot'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageAccountName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

// Key Vault references resolve with the app's user-assigned identity (keyVaultReferenceIdentity); no version, so a new
// secret version is picked up on the platform's refresh or a restart.
var watermarkReference = '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${watermarkSecretName}/)'
var previousWatermarkReference = '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${previousWatermarkSecretName}/)'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'ingest' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex Consumption sets FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION from functionAppConfig and
      // refuses them as app settings.
      appSettings: [
        // Functions host storage (keys, leases), identity-based, on the host's own account.
        { name: 'AzureWebJobsStorage__accountName', value: hostStorage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        // The connection named EchoStorage (functions/README.md), identity-based: the blob trigger reads it in the host
        // (blobs and, for its internal queue, queues) and the app's own storage clients read it in the worker.
        { name: 'EchoStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'EchoStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'EchoStorage__credential', value: 'managedidentity' }
        { name: 'EchoStorage__clientId', value: identity.properties.clientId }
        // storage.bicep creates the containers and queues; the identity is not allowed to create queues.
        { name: 'EchoStorage__createIfMissing', value: 'false' }
        // Static FFmpeg shipped at the package root; the app copies it somewhere executable at start-up if the
        // mounted package lost its execute bits.
        { name: 'Media__FfmpegPath', value: '${appRoot}/ffmpeg' }
        { name: 'Media__FfprobePath', value: '${appRoot}/ffprobe' }
        // The worker's bundle (main.bicep passes both apps the same value): job ids name the bundle that runs them.
        { name: 'Ingest__BundleId', value: bundleId }
        // VerifyAudio's key: the deployment's watermark secret, from Key Vault (never a literal here).
        { name: 'Watermark__Secret', value: watermarkReference }
        // After a rotation, the retired key too (an empty entry is ignored).
        { name: 'Watermark__PreviousSecrets__0', value: acceptPreviousWatermarkKey ? previousWatermarkReference : '' }
      ]
    }
  }
}

// No publishing passwords: azd deploys with Entra credentials.
resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: { allow: false }
}

resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: { allow: false }
}

output name string = functionApp.name
output id string = functionApp.id
output url string = 'https://${functionApp.properties.defaultHostName}'
