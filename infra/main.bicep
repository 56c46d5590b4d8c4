// EchoPipeline in one resource group: storage + Event Grid -> ingest (Functions, Flex Consumption, .NET isolated)
// -> queue `echo-jobs` -> GPU worker (Container Apps serverless GPU, KEDA azure-queue scaling to zero).
// Every data-plane connection is identity-based: no account keys or keyed connection strings anywhere.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer Flex Consumption and the chosen serverless GPU profile (docs/deploy.md).')
param location string

@description('Object id of the deploying user (azd sets it); gets data access to the storage account to upload videos and read results.')
param principalId string = ''

@description('Id (bundle.json id) of the model bundle the worker image carries: the ingest derives every job id with it (Ingest__BundleId) and the worker refuses to start with another (Worker__BundleId).')
param bundleId string = 'echo-demo-3'

@description('Serverless GPU workload profile of the worker: NVIDIA T4 (NC8as) or A100 (NC24).')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuWorkloadProfileType string = 'Consumption-GPU-NC8as-T4'

@description('KEDA azure-queue target: visible messages in echo-jobs per worker replica before another replica starts.')
@minValue(1)
param workerQueueLengthPerReplica int = 8

@description('Most worker replicas (GPU quota bounds this: one GPU per replica).')
@minValue(1)
param workerMaxReplicas int = 4

@description('Worker image; empty on the first provision (azd deploy sets it from SERVICE_WORKER_IMAGE_NAME).')
param workerImageName string = ''

@secure()
@description('The ingest app\'s blobs_extension system key for the Event Grid webhook. It exists once the app has started, so the first `azd up` provisions without it and the postdeploy hook provisions again with it.')
param blobsExtensionKey string = ''

@secure()
@description('Webhook signing secret (Standard Webhooks); stored as a Container Apps secret. Empty: no secret is configured.')
param webhookSecret string = ''

@secure()
@description('Watermark secret (>= 16 characters; e.g. openssl rand -base64 32) written to Key Vault as echo-watermark. Empty: the vault keeps what it has; the worker does not start until the secret exists (docs/provenance.md).')
param watermarkSecret string = ''

@description('After a rotation: VerifyAudio also accepts the retired key kept in Key Vault as echo-watermark-previous.')
param acceptPreviousWatermarkKey bool = false

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identities 'app/identities.bicep' = {
  name: 'identities'
  scope: rg
  params: {
    location: location
    tags: tags
    ingestIdentityName: '${abbrs.managedIdentityUserAssignedIdentities}ingest-${resourceToken}'
    workerIdentityName: '${abbrs.managedIdentityUserAssignedIdentities}worker-${resourceToken}'
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    storageAccountName: '${abbrs.storageStorageAccounts}${resourceToken}'
  }
}

module hostStorage 'app/host-storage.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    location: location
    tags: tags
    storageAccountName: '${abbrs.storageStorageAccounts}host${resourceToken}'
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    location: location
    tags: tags
    keyVaultName: '${abbrs.keyVaultVaults}${resourceToken}'
    watermarkSecret: watermarkSecret
  }
}

module registry 'app/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    location: location
    tags: tags
    registryName: '${abbrs.containerRegistryRegistries}${resourceToken}'
  }
}

module roles 'app/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    hostStorageAccountName: hostStorage.outputs.name
    keyVaultName: keyVault.outputs.name
    registryName: registry.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    ingestPrincipalId: identities.outputs.ingestPrincipalId
    workerPrincipalId: identities.outputs.workerPrincipalId
    userPrincipalId: principalId
  }
}

module ingest 'app/functions.bicep' = {
  name: 'ingest'
  scope: rg
  params: {
    location: location
    tags: tags
    planName: '${abbrs.webServerFarms}${resourceToken}'
    functionAppName: '${abbrs.webSitesFunctions}ingest-${resourceToken}'
    storageAccountName: storage.outputs.name
    hostStorageAccountName: hostStorage.outputs.name
    deploymentContainerName: hostStorage.outputs.deploymentContainerName
    keyVaultUri: keyVault.outputs.uri
    watermarkSecretName: keyVault.outputs.watermarkSecretName
    previousWatermarkSecretName: keyVault.outputs.previousWatermarkSecretName
    acceptPreviousWatermarkKey: acceptPreviousWatermarkKey
    identityName: identities.outputs.ingestIdentityName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    bundleId: bundleId
  }
  // The host reads AzureWebJobsStorage and the deployment container with the identity from its first start.
  dependsOn: [roles]
}

module events 'app/events.bicep' = {
  name: 'events'
  scope: rg
  params: {
    location: location
    tags: tags
    systemTopicName: '${abbrs.eventGridDomainsTopics}${resourceToken}'
    storageAccountName: storage.outputs.name
    functionAppName: ingest.outputs.name
    deadLetterContainerName: storage.outputs.deadLetterContainerName
    blobsExtensionKey: blobsExtensionKey
  }
}

module containerApps 'app/container-apps.bicep' = {
  name: 'container-apps'
  scope: rg
  params: {
    location: location
    tags: tags
    environmentName: '${abbrs.appManagedEnvironments}${resourceToken}'
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    gpuWorkloadProfileType: gpuWorkloadProfileType
  }
}

module worker 'app/worker.bicep' = {
  name: 'worker'
  scope: rg
  params: {
    location: location
    tags: tags
    containerAppName: '${abbrs.appContainerApps}worker-${resourceToken}'
    managedEnvironmentId: containerApps.outputs.id
    gpuWorkloadProfileName: containerApps.outputs.gpuWorkloadProfileName
    gpuWorkloadProfileType: gpuWorkloadProfileType
    identityName: identities.outputs.workerIdentityName
    registryLoginServer: registry.outputs.loginServer
    storageAccountName: storage.outputs.name
    imageName: workerImageName
    queueLengthPerReplica: workerQueueLengthPerReplica
    maxReplicas: workerMaxReplicas
    webhookSecret: webhookSecret
    bundleId: bundleId
    keyVaultUri: keyVault.outputs.uri
    watermarkSecretName: keyVault.outputs.watermarkSecretName
  }
  // AcrPull and queue access must exist before the first revision pulls its image and KEDA polls the queue.
  dependsOn: [roles]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = containerApps.outputs.id
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_FUNCTION_APP_NAME string = ingest.outputs.name
output AZURE_FUNCTION_APP_URL string = ingest.outputs.url
output SERVICE_WORKER_NAME string = worker.outputs.name
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
