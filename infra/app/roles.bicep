// Least-privilege data-plane roles, each assignment named with guid(scope, principal, role) so re-deploys are idempotent.
// Built-in role definition ids: learn.microsoft.com, "Azure built-in roles".
param storageAccountName string
@description('The Functions host\'s own account (AzureWebJobsStorage, deployment package): only the ingest identity gets roles on it.')
param hostStorageAccountName string
param keyVaultName string
param registryName string
param applicationInsightsName string
param ingestPrincipalId string
param workerPrincipalId string
@description('Deploying user; empty skips the user assignment.')
param userPrincipalId string = ''

var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Application Insights refuses key-only ingestion (DisableLocalAuth), so the host publishes telemetry with its identity.
resource ingestTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, ingestPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

// Worker: only the containers and queues it uses (EchoPipeline.Jobs.StorageNames), never the account, so it can
// neither write the Functions deployment package nor touch the event dead-letters. It reads uploads and frames, and
// writes WAV/video/spectrogram, job records and the webhook outbox (blob leases included).
var workerReadContainers = ['videos', 'frames']
var workerWriteContainers = ['audio', 'scored', 'jobs', 'webhooks']
var workerQueues = ['echo-jobs', 'echo-jobs-poison']

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource readContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for name in workerReadContainers: {
  parent: blobService
  name: name
}]

resource writeContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for name in workerWriteContainers: {
  parent: blobService
  name: name
}]

resource jobQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = [for name in workerQueues: {
  parent: queueService
  name: name
}]

// Ingest on the data account, container by container (EchoPipeline.Jobs.StorageNames): it reads uploads and stages URL
// sources in videos, writes frames and job records; VerifyAudio reads generated audio and scored videos. Never the
// webhook outbox or the event dead-letters.
var ingestWriteContainers = ['videos', 'frames', 'jobs']
var ingestReadContainers = ['audio', 'scored']

resource ingestWriteTargets 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for name in ingestWriteContainers: {
  parent: blobService
  name: name
}]

resource ingestReadTargets 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for name in ingestReadContainers: {
  parent: blobService
  name: name
}]

resource ingestBlobWrite 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in ingestWriteContainers: {
  name: guid(ingestWriteTargets[i].id, ingestPrincipalId, storageBlobDataContributor)
  scope: ingestWriteTargets[i]
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}]

resource ingestBlobRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in ingestReadContainers: {
  name: guid(ingestReadTargets[i].id, ingestPrincipalId, storageBlobDataReader)
  scope: ingestReadTargets[i]
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
  }
}]

// Ingest on the data account's queue service: the app sends claim-check messages to echo-jobs, and the Event
// Grid-sourced blob trigger keeps its internal and poison queues on the same connection (EchoStorage), named by the
// host id at run time, so this one is scoped to the queue service rather than to named queues. No blob rights follow.
resource ingestQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(queueService.id, ingestPrincipalId, storageQueueDataContributor)
  scope: queueService
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}

// The Functions host on its own account: keys and leases in AzureWebJobsStorage (identity-based host storage needs
// Blob Data Owner) and the Flex deployment package. The worker has no role on this account.
resource ingestHostBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, ingestPrincipalId, storageBlobDataOwner)
  scope: hostStorage
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}

resource ingestHostQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, ingestPrincipalId, storageQueueDataContributor)
  scope: hostStorage
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}

// Both apps read the watermark secret through Key Vault references (Secrets User: get and list secret values only).
resource ingestSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, ingestPrincipalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

resource workerSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, workerPrincipalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

resource workerBlobRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in workerReadContainers: {
  name: guid(readContainers[i].id, workerPrincipalId, storageBlobDataReader)
  scope: readContainers[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
  }
}]

resource workerBlobWrite 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in workerWriteContainers: {
  name: guid(writeContainers[i].id, workerPrincipalId, storageBlobDataContributor)
  scope: writeContainers[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}]

// Worker: receive, renew visibility (update message), delete, send to the poison queue; KEDA reads the queue length
// with the same identity. Message Processor lacks the update permission that visibility renewal needs.
resource workerQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in workerQueues: {
  name: guid(jobQueues[i].id, workerPrincipalId, storageQueueDataContributor)
  scope: jobQueues[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}]

resource workerPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, workerPrincipalId, acrPull)
  scope: registry
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
  }
}

// The deploying user uploads videos and downloads results with Entra credentials (az storage ... --auth-mode login).
resource userBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(storage.id, userPrincipalId, storageBlobDataContributor)
  scope: storage
  properties: {
    principalId: userPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}
