"""A linear SVM and an NB-SVM voting: the Amharic harm model's learner (estimator.settings_for).

NB-SVM (Wang & Manning 2012, "Baselines and bigrams"): for each class, every feature is scaled by its
log-count ratio, log of (its share of that class's present features ÷ its share of the other classes'),
and a binary linear SVM is fitted on the scaled features. The plain SVM and the NB-SVM make different
mistakes; each one's decision values are divided by their spread on the training rows and the two added.
Both SVMs are class-balanced, as in estimator.BalancedCalibratedSVC.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.svm import LinearSVC


class SvmNbVote(ClassifierMixin, BaseEstimator):
    """Class-balanced LinearSVC + one-vs-rest NB-SVM; the label is the argmax of their summed scaled decisions."""

    def __init__(self, C: float = 0.1, seed: int = 0, alpha: float = 1.0) -> None:  # noqa: N803
        self.C = C
        self.seed = seed
        self.alpha = alpha

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight="balanced", random_state=self.seed)

    def fit(self, x: Any, y: Sequence[str]) -> SvmNbVote:
        x = sp.csr_matrix(x)
        labels = np.asarray(y)
        self.svm_ = self._svm().fit(x, labels)
        self.classes_ = self.svm_.classes_
        present = (x > 0).astype(np.float64)
        coefs, intercepts = [], []
        for label in self.classes_:
            mine = labels == label
            p = self.alpha + np.asarray(present[mine].sum(axis=0)).ravel()
            q = self.alpha + np.asarray(present[~mine].sum(axis=0)).ravel()
            ratio = np.log((p / p.sum()) / (q / q.sum()))
            svm = self._svm().fit(x @ sp.diags(ratio), mine.astype(int))
            coefs.append(ratio * svm.coef_.ravel())  # (x · diag(r)) · w = x · (r ∘ w)
            intercepts.append(svm.intercept_[0])
        self.nb_coef_ = np.vstack(coefs)
        self.nb_intercept_ = np.asarray(intercepts)
        self.scales_ = (float(np.std(self._svm_decision(x))), float(np.std(self._nb_decision(x))))
        return self

    def _svm_decision(self, x: Any) -> np.ndarray:
        scores = np.asarray(self.svm_.decision_function(x))
        return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores  # two classes: one column

    def _nb_decision(self, x: Any) -> np.ndarray:
        return np.asarray(sp.csr_matrix(x) @ self.nb_coef_.T) + self.nb_intercept_

    def decision_function(self, x: Any) -> np.ndarray:
        """One column a class; with two classes one value, positive for the second (as scikit-learn's)."""
        svm_scale, nb_scale = self.scales_
        scores = self._svm_decision(x) / svm_scale + self._nb_decision(x) / nb_scale
        return scores[:, 1] - scores[:, 0] if len(self.classes_) == 2 else scores

    def predict(self, x: Any) -> np.ndarray:
        scores = self.decision_function(x)
        return np.asarray(self.classes_[(scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)])
