/** Dutch text of the shareable link (issue 8): the copy-link button and its confirmation. */
export const shareNl = {
  shareCopy: 'Kopieer link',
  shareCopyTitle: 'Kopieer een link naar deze kaart: weergave, lagen, filters, tijd en selectie',
  shareCopied: 'Link gekopieerd',
  shareCopyFailed: 'Kopiëren lukte niet: kopieer de link hieronder',
  shareLinkField: 'Link naar deze kaart',
  shareClose: 'Sluiten',
};
