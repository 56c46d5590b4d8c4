// Event Grid system topic on the storage account; BlobCreated in `videos` goes to the Functions blobs extension's
// webhook, which queues each event for the OnVideoUploaded blob trigger (Source = EventGrid) and answers at once.
// The webhook needs the app's `blobs_extension` system key, which exists only once the app has started; the azd
// postdeploy hook (infra/scripts/enable-events.sh) reads it and provisions again with it.
param location string
param tags object
param systemTopicName string
param storageAccountName string
param functionAppName string
param deadLetterContainerName string

@description('Name of the blob-triggered function (functions.metadata): the webhook addresses it as Host.Functions.<name>.')
param functionName string = 'OnVideoUploaded'

@secure()
@description('The app\'s blobs_extension system key; empty (the first provision) creates no subscription yet.')
param blobsExtensionKey string = ''

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  name: '${storageAccountName}/default/${deadLetterContainerName}'
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  // Dead-letters with its own identity: the account allows no shared keys.
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource topicDeadLetter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deadLetterContainer.id, systemTopicName, storageBlobDataContributor)
  scope: deadLetterContainer
  properties: {
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource videosToIngest 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (!empty(blobsExtensionKey)) {
  parent: systemTopic
  name: 'videos-to-ingest'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/videos/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
  dependsOn: [topicDeadLetter]
}

output systemTopicName string = systemTopic.name
